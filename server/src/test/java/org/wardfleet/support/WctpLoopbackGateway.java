package org.wardfleet.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A paging gateway on loopback that speaks WCTP inbound: records every request body and answers with the result
 * code it is told to ({@link #answerWith}), optionally the first {@code n} times only, so tests can walk the whole
 * path (page → pager) and its failures without a paging vendor.
 */
public final class WctpLoopbackGateway implements AutoCloseable {

    private final HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private volatile int code = 200;
    private final AtomicInteger times = new AtomicInteger(Integer.MAX_VALUE);

    public WctpLoopbackGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/wctp", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int answer = times.getAndDecrement() > 0 ? code : 200;
            String element = answer == 200 ? "<wctp-Success successCode=\"200\" successText=\"Accepted\"/>"
                    : "<wctp-Failure errorCode=\"" + answer + "\" errorText=\"told to fail\"/>";
            byte[] body = ("<?xml version=\"1.0\"?><wctp-Operation wctpVersion=\"wctp-dtd-v1r3\"><wctp-Confirmation>"
                    + element + "</wctp-Confirmation></wctp-Operation>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/wctp";
    }

    /** Answer {@code code} the next {@code n} times, then 200 again. */
    public void answerWith(int code, int n) {
        this.code = code;
        this.times.set(n);
    }

    public List<String> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
