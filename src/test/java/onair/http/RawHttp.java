package onair.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A minimal HTTP/1.1 client over a plain socket, for requests no well-behaved client library would send. */
final class RawHttp implements AutoCloseable {

    /** A parsed response; header names in lower case. */
    record Response(int status, Map<String, String> headers, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;

    RawHttp(InetSocketAddress address) throws IOException {
        socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
    }

    /** One request and its response on a fresh connection. */
    static Response request(InetSocketAddress address, String request) throws IOException {
        try (RawHttp http = new RawHttp(address)) {
            http.send(request);
            return http.read(!request.startsWith("HEAD "));
        }
    }

    /** {@code GET path} with extra header lines ("Name: value"). */
    static Response get(InetSocketAddress address, String path, String... headers) throws IOException {
        return request(address, "GET " + path + " HTTP/1.1\r\nHost: t\r\n" + String.join("", lines(headers)) + "\r\n");
    }

    private static String[] lines(String[] headers) {
        String[] lines = new String[headers.length];
        for (int i = 0; i < headers.length; i++) {
            lines[i] = headers[i] + "\r\n";
        }
        return lines;
    }

    void send(String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Reads one response; its body by Content-Length, chunks, or until the connection closes. */
    Response read(boolean hasBody) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); line != null && !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (hasBody && status != 304 && status != 204) {
            if (headers.containsKey("content-length")) {
                body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
            } else if ("chunked".equals(headers.get("transfer-encoding"))) {
                for (int size = Integer.parseInt(line(), 16); size > 0; size = Integer.parseInt(line(), 16)) {
                    body.write(in.readNBytes(size));
                    line();
                }
                line();
            } else {
                body.write(in.readAllBytes());
            }
        }
        return new Response(status, headers, body.toByteArray());
    }

    /** Whether the server closed the connection (reads end of stream within the socket timeout). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    InputStream input() {
        return in;
    }

    Socket socket() {
        return socket;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
