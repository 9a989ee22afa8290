package com.registryservice.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API for the tests: S3Proxy (copied to {@code target/s3proxy/s3proxy.jar} by the build) run as a child
 * process on a free port, its objects in a directory so that it can be stopped and started again (an outage) without
 * losing them. Credentials {@link #ACCESS_KEY}/{@link #SECRET_KEY}.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "registry-test";
    public static final String SECRET_KEY = "registry-test-secret";

    private final int port;
    private final Path config;
    private ProcessHandle process;

    private S3ProxyServer(int port, Path config) {
        this.port = port;
        this.config = config;
    }

    private static final String CONFIG = "s3proxy.test.config.";
    private static final String PID = "s3proxy.test.pid.";

    /**
     * The server a test resource started in this JVM for {@code endpoint} (found through system properties keyed by
     * its port: the resource and the tests may not share classes, and several servers may run at once).
     */
    public static S3ProxyServer running(URI endpoint) {
        S3ProxyServer server = new S3ProxyServer(endpoint.getPort(),
                Path.of(System.getProperty(CONFIG + endpoint.getPort())));
        server.process = server.current().orElseThrow();
        return server;
    }

    /** The process serving this port now (a test may have restarted it through another handle). */
    private Optional<ProcessHandle> current() {
        return Optional.ofNullable(System.getProperty(PID + port)).map(Long::parseLong).flatMap(ProcessHandle::of)
                .or(() -> Optional.ofNullable(process));
    }

    /** Starts an S3Proxy with one empty bucket of each of the given names. */
    public static S3ProxyServer start(String... buckets) {
        try {
            Path jar = Paths.get("target", "s3proxy", "s3proxy.jar").toAbsolutePath();
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: the build copies it (mvnw process-test-resources)");
            }
            Path dir = Files.createTempDirectory(Paths.get("target").toAbsolutePath(), "s3proxy-");
            Files.createDirectories(dir.resolve("data"));
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path config = Files.writeString(dir.resolve("s3proxy.conf"), String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem-nio2",
                    "jclouds.filesystem.basedir=" + dir.resolve("data")) + "\n");
            S3ProxyServer server = new S3ProxyServer(port, config);
            System.setProperty(CONFIG + port, config.toString());
            server.startProcess();
            // whatever happens to the tests, the server goes with this JVM
            // (forcibly: a process a test froze with pause() does not act on SIGTERM)
            Runtime.getRuntime().addShutdownHook(new Thread(() -> server.current()
                    .ifPresent(ProcessHandle::destroyForcibly)));
            try (S3AsyncClient client = server.client()) {
                for (String bucket : buckets) {
                    client.createBucket(r -> r.bucket(bucket)).join();
                }
            }
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
    }

    /** Starts the process (again) and waits until it takes connections. */
    public void startProcess() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process started = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar",
                Paths.get("target", "s3proxy", "s3proxy.jar").toAbsolutePath().toString(), "--properties",
                config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(config.resolveSibling("s3proxy.log").toFile()))
                .start();
        process = started.toHandle();
        System.setProperty(PID + port, Long.toString(process.pid()));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy stopped at start; see " + config.resolveSibling("s3proxy.log"));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    started.waitFor(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("S3Proxy did not take connections within 60 s");
    }

    /** Stops the process (an outage); its objects stay for {@link #startProcess()}. */
    public void stopProcess() {
        process = current().orElse(process);
        process.destroy();
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            process.onExit().join();
        }
    }

    /** Freezes the process (SIGSTOP): the kernel still accepts connections, nothing answers them, a hung S3. */
    public void pause() {
        signal("STOP");
    }

    /** Thaws a {@link #pause()}d process (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        process = current().orElse(process);
        try {
            int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start()
                    .waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A client of this server, as the service makes one. */
    public S3AsyncClient client() {
        return client(endpoint());
    }

    private static S3AsyncClient client(URI endpoint) {
        return S3AsyncClient.builder().region(Region.US_EAST_1).endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /** Every object in the bucket under the prefix, with its size. */
    public Map<String, Long> objects(String bucket, String prefix) {
        return objects(endpoint(), bucket, prefix);
    }

    /** Every object in the bucket of the S3Proxy at {@code endpoint} under the prefix, with its size. */
    public static Map<String, Long> objects(URI endpoint, String bucket, String prefix) {
        try (S3AsyncClient client = client(endpoint)) {
            Map<String, Long> found = new TreeMap<>();
            client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix))
                    .subscribe(page -> page.contents().forEach((S3Object o) -> found.put(o.key(), o.size()))).join();
            return found;
        }
    }

    /** How many multipart uploads are open under the prefix. */
    public int openMultipartUploads(String bucket, String prefix) {
        try (S3AsyncClient client = client()) {
            return client.listMultipartUploads(r -> r.bucket(bucket).prefix(prefix)).join().uploads().size();
        }
    }

    @Override
    public void close() {
        stopProcess();
    }
}
