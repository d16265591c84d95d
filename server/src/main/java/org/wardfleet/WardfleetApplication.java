package org.wardfleet;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.wardfleet.platform.mongo.StorageServer;

/** Wardfleet: hospital device management and clinical messaging, one reactive server. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WardfleetApplication {

    public static void main(String[] args) throws InterruptedException {
        if (StorageServer.requested(args)) {
            // the embedded database as a process of its own, shared by several instances (see StorageServer)
            StorageServer.main(args);
            return;
        }
        SpringApplication.run(WardfleetApplication.class, args);
    }
}
