package org.wardfleet.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.WardfleetApplication;

/** A whole Wardfleet server started (and stopped) inside a test, for restart, TLS and bootstrap behaviour. */
public final class RunningServer implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private RunningServer(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /**
     * Generated development secrets of servers that name no data directory: under {@code target/}, never in the
     * source tree, and shared by every server of this test run (two instances on one database need the same keys).
     */
    static final String DATA_DIR = "target/test-data/servers-" + java.util.UUID.randomUUID();

    public static RunningServer start(Map<String, String> properties, String... profiles) {
        List<String> args = new ArrayList<>();
        if (!properties.containsKey("wardfleet.data-dir")) {
            args.add("--wardfleet.data-dir=" + DATA_DIR);
        }
        if (!properties.containsKey("server.port")) {
            args.add("--server.port=0");
        }
        args.add("--logging.level.root=WARN");
        args.add("--logging.level.org.wardfleet=INFO");
        properties.forEach((k, v) -> args.add("--" + k + "=" + v));
        return new RunningServer(new SpringApplicationBuilder(WardfleetApplication.class)
                .profiles(profiles)
                .run(args.toArray(String[]::new)));
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port())
                .responseTimeout(java.time.Duration.ofMinutes(2)).build();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** What Spring's test context cache does to an idle context: stop every lifecycle bean, later start them again. */
    public void pauseAndResume() {
        context.stop();
        context.start();
    }

    @Override
    public void close() {
        context.close();
    }
}
