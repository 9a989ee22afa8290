package com.registryservice.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.restassured.RestAssured;

/**
 * Plain HTTP/1.1 over a socket, for what HTTP clients do not let a test choose: the local address a request comes
 * from (the loopback network is a /8, so 127.0.0.2 is another client than 127.0.0.1).
 */
public final class Raw {

    private Raw() {
    }

    /** A response's status, its header lines (lower-cased, one per line) and its body. */
    public record Response(int status, String body, String headers) {
    }

    /**
     * Sends a bodiless request from {@code localAddress} as the test user (unless {@code headers} hold an
     * {@code Authorization}), and reads the whole answer.
     */
    public static Response send(String localAddress, String method, String path, Map<String, String> headers) {
        return send(localAddress, method, path, headers.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .toList());
    }

    /**
     * Sends a bodiless request with these header lines as written (a name may repeat), adding {@code Host} and the
     * test user's {@code Authorization} unless a line names them.
     */
    public static Response send(String localAddress, String method, String path, java.util.List<String> lines) {
        return send(RestAssured.port, localAddress, method, path, lines);
    }

    /** The same to another port of the service (the management interface's). */
    public static Response send(int port, String localAddress, String method, String path,
            java.util.List<String> lines) {
        java.util.function.Predicate<String> named = name -> lines.stream()
                .anyMatch(line -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1));
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n"
                + (named.test("Host") ? "" : "Host: localhost\r\n")
                + (named.test("Authorization") ? "" : "Authorization: " + Api.basicAuth(Api.USER) + "\r\n")
                + "Connection: close\r\n");
        lines.forEach(line -> request.append(line).append("\r\n"));
        return exchange(port, localAddress, request.append("\r\n").toString());
    }

    /** Sends {@code request} exactly as written (request line, headers, the empty line) and reads the whole answer. */
    public static Response exchange(int port, String localAddress, String request) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            int status = Integer.parseInt(in.readLine().split(" ")[1]);
            StringBuilder body = new StringBuilder();
            StringBuilder headers = new StringBuilder();
            boolean inBody = false;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (inBody) {
                    body.append(line);
                } else if (line.isEmpty()) {
                    inBody = true;
                } else {
                    headers.append(line.toLowerCase(java.util.Locale.ROOT)).append('\n');
                }
            }
            return new Response(status, body.toString(), headers.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Response get(String localAddress, String path) {
        return send(localAddress, "GET", path, Map.of());
    }
}
