package org.wardfleet.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection written and read byte by byte, for what a client library hides: several requests on the
 * same keep-alive connection, a body sent half-way and then withheld, a client that hangs up mid-answer.
 */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** A connection to the server on loopback {@code port}; reads give up after 60 s. */
    public static RawHttp connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(60_000);
        return new RawHttp(socket);
    }

    public record Response(int status, Map<String, String> headers, String body) {
    }

    /** A complete POST on this connection (kept alive), and its answer. */
    public Response post(String path, String contentType, byte[] body) throws IOException {
        send(head("POST", path, contentType, body.length));
        send(body);
        return read();
    }

    /** The request line and headers of a request with a {@code Content-Length} body, without the body. */
    public static byte[] head(String method, String path, String contentType, long contentLength) {
        return (method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next answer on this connection (Content-Length or chunked body). */
    public Response read() throws IOException {
        String status = line();
        if (status == null) {
            throw new IOException("The server closed the connection instead of answering");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            line();
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        }
        return new Response(Integer.parseInt(status.split(" ")[1]), headers, body.toString(StandardCharsets.UTF_8));
    }

    /**
     * Whether the server closed this connection within {@code within} (end of stream or reset), ignoring anything it
     * sent first; false when it was still open then.
     */
    public boolean closedByServerWithin(Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        try {
            while (in.read() != -1) {
                // an answer before closing (e.g. 408) is fine: what counts is that the connection ends
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
