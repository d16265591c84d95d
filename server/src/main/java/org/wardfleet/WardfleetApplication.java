package org.wardfleet;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Wardfleet: hospital device management and clinical messaging, one reactive server. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WardfleetApplication {

    public static void main(String[] args) {
        SpringApplication.run(WardfleetApplication.class, args);
    }
}
