package com.registryservice.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/** A client of GET /events: reads the Server-Sent Events of one user in the background. */
public final class EventStream implements AutoCloseable {

    /** One event as received: its id (null for stream notices), its type, and its JSON message. */
    public record Received(String id, String type, JsonPath message) {

        /** The event's data: what changed. */
        public Map<String, Object> data() {
            return message.getMap("data");
        }
    }

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile boolean ended;
    private final java.util.concurrent.atomic.AtomicInteger comments = new java.util.concurrent.atomic.AtomicInteger();

    private EventStream(String user, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/events"))
                .header("Authorization", Api.basicAuth(user))
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = HttpClient.newHttpClient().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(this::read);
    }

    /** Subscribes as the test user {@code user} and waits until the stream is open. */
    public static EventStream open(String user) {
        return open(user, null);
    }

    public static EventStream open(String user, String lastEventId) {
        EventStream stream = new EventStream(user, lastEventId);
        int status = stream.response.orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join().statusCode();
        if (status != 200) {
            throw new AssertionError("GET /events answered " + status);
        }
        return stream;
    }

    private void read(HttpResponse<Stream<String>> answer) {
        String id = null;
        String type = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = answer.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (type != null || data.length() > 0) {
                        received.add(new Received(id, type, new JsonPath(data.toString())));
                    }
                    id = null;
                    type = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = value(line);
                } else if (line.startsWith("event:")) {
                    type = value(line);
                } else if (line.startsWith("data:")) {
                    data.append(value(line));
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                }
            }
        } catch (RuntimeException e) {
            // closed by the test
        } finally {
            ended = true;
        }
    }

    private static String value(String line) {
        String value = line.substring(line.indexOf(':') + 1);
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    /** The next event that matches, skipping others (other tests' registries change too); fails after 10 s. */
    public Received next(Predicate<Received> matching) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                Received event = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (event != null && matching.test(event)) {
                    return event;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("no matching event within " + PATIENCE.toSeconds() + " s");
    }

    /** The next event about this registry of one of these types. */
    public Received next(String registryId, String... types) {
        return next(e -> registryId.equals(e.message().getString("registryId"))
                && java.util.Arrays.asList(types).contains(e.type()));
    }

    public boolean ended() {
        return ended;
    }

    /** How many SSE comments (heartbeats) arrived so far. */
    public int comments() {
        return comments.get();
    }

    @Override
    public void close() {
        response.thenAccept(answer -> {
            try {
                answer.body().close();
            } catch (RuntimeException e) {
                // already closed
            }
        });
        response.cancel(true);
    }
}
