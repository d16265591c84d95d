package org.wardfleet.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/** The real application on a random port, in-memory embedded MongoDB through the real driver, TLS off. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// a busy 2-core CI machine can take far longer than the default 5 s to answer: wait for the answer, bounded
@AutoConfigureWebTestClient(timeout = "PT2M")
@ActiveProfiles("test")
@Import(TestApi.class)
public @interface WardfleetTest {
}
