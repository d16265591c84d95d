package org.wardfleet.sdk.tools;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A paging gateway on loopback that speaks WCTP inbound, for development, demos and tests — no paging vendor needed.
 * It records every request ({@code GET /received}), prints each pager message, and answers {@code wctp-Success 200}
 * unless told otherwise: {@code POST /control?code=604&times=2&delayMs=500} answers code 604 the next 2 times, each
 * after half a second (then 200 again). Only the JDK is needed to run it:
 *
 * <pre>java -cp device-sdk/target/wardfleet-device-sdk-0.1.0-SNAPSHOT.jar org.wardfleet.sdk.tools.WctpLoopbackGateway 9090</pre>
 */
public final class WctpLoopbackGateway implements AutoCloseable {

    private static final Pattern RECIPIENT = Pattern.compile("recipientID=\"([^\"]*)\"");
    private static final Pattern TEXT = Pattern.compile("<wctp-Alphanumeric>([^<]*)</wctp-Alphanumeric>");
    private static final int MAX_BODY = 64 * 1024;

    private final HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final boolean print;
    private volatile int code = 200;
    private volatile long delayMs;
    private final AtomicInteger times = new AtomicInteger();

    /** A gateway on an ephemeral loopback port (tests). */
    public WctpLoopbackGateway() throws IOException {
        this(0, false);
    }

    /** A gateway on {@code port} (0: any free one); {@code print}: one line per pager message on standard output. */
    public WctpLoopbackGateway(int port, boolean print) throws IOException {
        this.print = print;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "wctp-loopback");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/wctp", this::wctp);
        server.createContext("/control", this::control);
        server.createContext("/received", this::list);
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

    /** Wait this long before every answer (a slow gateway). */
    public void delay(Duration delay) {
        this.delayMs = delay.toMillis();
    }

    /** Every request body received so far, oldest first. */
    public List<String> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void wctp(HttpExchange exchange) throws IOException {
        String body = read(exchange.getRequestBody());
        received.add(body);
        if (print) {
            Matcher to = RECIPIENT.matcher(body);
            Matcher text = TEXT.matcher(body);
            System.out.printf("%s pager %s <- %s%n", java.time.LocalTime.now().withNano(0),
                    to.find() ? to.group(1) : "?", text.find() ? text.group(1) : "(no text)");
        }
        int answer = times.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? code : 200;
        if (delayMs > 0) {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String element = answer == 200 ? "<wctp-Success successCode=\"200\" successText=\"Accepted\"/>"
                : "<wctp-Failure errorCode=\"" + answer + "\" errorText=\"told to fail\"/>";
        send(exchange, "text/xml", "<?xml version=\"1.0\"?><wctp-Operation wctpVersion=\"wctp-dtd-v1r3\">"
                + "<wctp-Confirmation>" + element + "</wctp-Confirmation></wctp-Operation>");
    }

    private void control(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI());
        try {
            answerWith(Integer.parseInt(query.getOrDefault("code", "200")),
                    Integer.parseInt(query.getOrDefault("times", "1")));
            delay(Duration.ofMillis(Long.parseLong(query.getOrDefault("delayMs", "0"))));
            send(exchange, "text/plain", "ok\n");
        } catch (NumberFormatException e) {
            exchange.sendResponseHeaders(400, -1);
            exchange.close();
        }
    }

    private void list(HttpExchange exchange) throws IOException {
        StringBuilder json = new StringBuilder("[");
        for (String body : received) {
            json.append(json.length() > 1 ? "," : "").append('"');
            for (char c : body.toCharArray()) {
                if (c == '"' || c == '\\') {
                    json.append('\\').append(c);
                } else if (c < 0x20) {
                    json.append(String.format("\\u%04x", (int) c));
                } else {
                    json.append(c);
                }
            }
            json.append('"');
        }
        send(exchange, "application/json", json.append("]\n").toString());
    }

    private static String read(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return out;
    }

    /** {@code WctpLoopbackGateway [port]} (default 9090): runs until stopped. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9090;
        WctpLoopbackGateway gateway = new WctpLoopbackGateway(port, true);
        System.out.println("Loopback WCTP gateway at " + gateway.url()
                + " (POST /control?code=604&times=2&delayMs=500, GET /received)");
        Thread.currentThread().join();
    }
}
