package com.registryservice.database;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Starts (or finds again) the embedded PostgreSQL used when no external database is configured.
 *
 * <p>One server per JVM: dev-mode live reload and Quarkus' several configuration phases all ask for it, and all get
 * the same one. The JVM-wide handle is a system property because dev mode reloads application classes (and so their
 * static fields) on every change, while system properties survive.
 */
public final class EmbeddedPostgresServer {

    /** The PostgreSQL major version of the bundled binaries (see the binaries BOM in pom.xml). */
    public static final String MAJOR_VERSION = "17";

    static final String DATABASE = "postgres";
    static final String USER = "postgres";

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);
    private static final String HANDLE_PROPERTY = "registry-service.embedded-postgres.port";
    private static final String PASSWORD_PROPERTY = "registry-service.embedded-postgres.password";
    /** The password of the server's superuser, in its data directory (readable by the service's user only). */
    static final String PASSWORD_FILE = "registry-service.password";
    /** Password (SCRAM) authentication for every connection, on loopback only: no local process gets in without it. */
    static final String HBA = """
            # written by registry-service: the superuser's password (SCRAM) for every connection, loopback only
            local all all scram-sha-256
            host  all all 127.0.0.1/32 scram-sha-256
            host  all all ::1/128 scram-sha-256
            """;
    private static final String ZONKY_LOCK_FILE = "epg-lock";
    private static final long ORPHAN_STOP_SECONDS = 30;
    /** How long the server waits at exit for the service to stop: its shutdown timeout (30 s by default), and more. */
    static final long STOP_WAIT_SECONDS = 40;

    private EmbeddedPostgresServer() {
    }

    /**
     * The port of the JVM's embedded server, started on first call.
     *
     * @param dataDirectory where a persistent server keeps its data; empty for a throwaway server (tests)
     */
    public static synchronized int startOrReuse(Optional<Path> dataDirectory, int port) {
        String running = System.getProperty(HANDLE_PROPERTY);
        if (running != null) {
            return Integer.parseInt(running);
        }
        String password = dataDirectory.map(EmbeddedPostgresServer::password).orElseGet(EmbeddedPostgresServer::newPassword);
        EmbeddedPostgres server = dataDirectory.map(dir -> startPersistent(dir, port, password))
                .orElseGet(() -> startThrowaway(port, password));
        System.setProperty(PASSWORD_PROPERTY, password);
        System.setProperty(HANDLE_PROPERTY, Integer.toString(server.getPort()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAfterTheService(server), "embedded-postgresql-stop"));
        return server.getPort();
    }

    /**
     * Stops the server once the service has stopped using it. zonky's own shutdown hook (not registered) ran at the
     * same time as Quarkus' shutdown, so the service's last statements (giving back its GC leases) met a stopped
     * database at every stop. The wait is bounded: a service that never started, or does not stop, does not keep the
     * JVM from exiting for more than {@link #STOP_WAIT_SECONDS}.
     */
    static void stopAfterTheService(EmbeddedPostgres server) {
        io.quarkus.runtime.Application service = io.quarkus.runtime.Application.currentApplication();
        if (service != null) {
            Thread waiter = new Thread(service::awaitShutdown, "embedded-postgresql-waits");
            waiter.setDaemon(true);
            waiter.start();
            try {
                waiter.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.warnf("Could not stop the embedded PostgreSQL: %s", e.getMessage());
        }
    }

    /**
     * Refuses a port another process listens on: the embedded server would fail to bind it, yet what answers there
     * (another PostgreSQL, say) would be taken for it and written into. Port 0 (any free port) always passes.
     */
    static void requireFreePort(int port) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            // as PostgreSQL binds: connections of a previous run in TIME_WAIT do not count, a listener does
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the embedded PostgreSQL: port " + port + " is taken by"
                    + " another process (" + e.getMessage() + "). Set REGISTRY_EMBEDDED_POSTGRES_PORT to a free port,"
                    + " or configure an external PostgreSQL (QUARKUS_DATASOURCE_REACTIVE_URL, QUARKUS_DATASOURCE_JDBC_URL).");
        }
    }

    /** The port of this JVM's embedded server, if one was started. */
    public static Optional<Integer> runningPort() {
        return Optional.ofNullable(System.getProperty(HANDLE_PROPERTY)).map(Integer::parseInt);
    }

    /** The datasource settings that point both the reactive and the JDBC (Flyway) pools at a server on this port. */
    public static Map<String, String> datasourceProperties(int port) {
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://localhost:" + port + "/" + DATABASE,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + port + "/" + DATABASE,
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", System.getProperty(PASSWORD_PROPERTY, ""));
    }

    /** A new random password: 256 bits, URL-safe Base64 (nothing to quote in SQL or a connection string). */
    static String newPassword() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The persistent server's password: the one kept in its data directory, or a new one (kept there by
     * {@link #keepPassword} once the server has it: initdb needs an empty directory).
     */
    static String password(Path configured) {
        Path file = passwordFile(configured);
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.US_ASCII).trim() : newPassword();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the embedded PostgreSQL's password in " + file, e);
        }
    }

    private static Path passwordFile(Path configured) {
        return configured.toAbsolutePath().normalize().resolve(PASSWORD_FILE);
    }

    /** Writes the password into the data directory (mode 600) unless it is there already. */
    private static void keepPassword(Path configured, String password) throws IOException {
        Path file = passwordFile(configured);
        if (!Files.exists(file)) {
            Files.writeString(file, password + "\n", StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
    }

    /**
     * Gives the superuser the password and allows only password (SCRAM) logins on loopback. A new data directory
     * comes from initdb trusting every local connection: that lasts from its first start to here, on an empty
     * database. Applied again at every start, so that a directory of an earlier version is secured too.
     */
    static void secure(EmbeddedPostgres server, String password, Optional<Path> dataDirectory) {
        try (java.sql.Connection connection = server.getPostgresDatabase().getConnection();
                java.sql.Statement statement = connection.createStatement()) {
            requireOurs(statement, server.getPort(), dataDirectory);
            statement.execute("SET password_encryption = 'scram-sha-256'");
            statement.execute("ALTER ROLE " + USER + " PASSWORD '" + password + "'");
            Path hba;
            try (java.sql.ResultSet file = statement.executeQuery("SHOW hba_file")) {
                file.next();
                hba = Path.of(file.getString(1));
            }
            if (!HBA.equals(Files.readString(hba, StandardCharsets.UTF_8))) {
                Files.writeString(hba, HBA, StandardCharsets.UTF_8);
                statement.execute("SELECT pg_reload_conf()");
            }
        } catch (java.sql.SQLException | IOException e) {
            throw new IllegalStateException("Could not secure the embedded PostgreSQL (password, pg_hba.conf): "
                    + e.getMessage(), e);
        }
    }

    /**
     * Checks that the server that answers on the port is the one just started: its major version, and (for a
     * persistent server) its data directory. Another PostgreSQL that held the port would otherwise be written into.
     */
    static void requireOurs(java.sql.Statement statement, int port, Optional<Path> dataDirectory)
            throws java.sql.SQLException, IOException {
        String version;
        String directory;
        try (java.sql.ResultSet row = statement.executeQuery("SELECT current_setting('server_version_num'),"
                + " current_setting('data_directory')")) {
            row.next();
            version = row.getString(1);
            directory = row.getString(2);
        }
        boolean sameVersion = version.startsWith(MAJOR_VERSION) && version.length() == MAJOR_VERSION.length() + 4;
        boolean sameDirectory = dataDirectory.isEmpty() || Files.isSameFile(Path.of(directory), dataDirectory.get());
        if (!sameVersion || !sameDirectory) {
            throw new IllegalStateException("the PostgreSQL that answers on port " + port + " is not the embedded one"
                    + " (version " + version + ", data in " + directory + "): another server holds the port. Set"
                    + " REGISTRY_EMBEDDED_POSTGRES_PORT to a free port, or configure that server as an external one");
        }
    }

    /** A server listening on loopback only, whose own checks log in with the password. */
    private static EmbeddedPostgres.Builder builder(int port, String password) {
        return EmbeddedPostgres.builder().setPort(port).setConnectConfig("password", password)
                .setServerConfig("listen_addresses", "localhost")
                // stopped after the service instead (stopAfterTheService)
                .setRegisterShutdownHook(false);
    }

    private static EmbeddedPostgres startThrowaway(int port, String password) {
        requireFreePort(port);
        try {
            EmbeddedPostgres server = builder(port, password).start();
            secure(server, password, Optional.empty());
            LOG.infof("Using an embedded PostgreSQL %s on port %d with a throwaway data directory", MAJOR_VERSION,
                    server.getPort());
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    static EmbeddedPostgres startPersistent(Path configured, int port, String password) {
        Path dir = configured.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            refuseOtherMajorVersion(dir);
            // first: the orphan a SIGKILLed run left holds the port, which is then free again
            stopOrphanedPostmaster(dir);
        } catch (IOException | RuntimeException e) {
            throw cannotStart(dir, e);
        }
        requireFreePort(port);
        try {
            EmbeddedPostgres server = builder(port, password)
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    // zonky runs PostgreSQL like a test database (-F, synchronous_commit=off); data that must survive
                    // a crash needs every acknowledged commit on disk.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .start();
            secure(server, password, Optional.of(dir));
            keepPassword(dir, password);
            LOG.infof("Using an embedded PostgreSQL %s on port %d with its data in %s", MAJOR_VERSION, server.getPort(),
                    dir);
            return server;
        } catch (IOException | RuntimeException e) {
            throw cannotStart(dir, e);
        }
    }

    private static IllegalStateException cannotStart(Path dir, Exception e) {
        return new IllegalStateException("Could not start the embedded PostgreSQL with its data in " + dir + ": "
                + e.getMessage() + ". Fix or move that directory, or configure an external PostgreSQL"
                + " (QUARKUS_DATASOURCE_REACTIVE_URL and QUARKUS_DATASOURCE_JDBC_URL).", e);
    }

    /** PostgreSQL cannot open files of another major version; say so before it fails with a cryptic log line. */
    static void refuseOtherMajorVersion(Path dir) throws IOException {
        Path versionFile = dir.resolve("PG_VERSION");
        if (!Files.exists(versionFile)) {
            return;
        }
        String version = Files.readString(versionFile, StandardCharsets.US_ASCII).trim();
        if (!MAJOR_VERSION.equals(version)) {
            throw new IllegalStateException("the database files are incompatible: " + dir + " was created by PostgreSQL "
                    + version + " but this service embeds PostgreSQL " + MAJOR_VERSION
                    + " (move the directory aside, or upgrade it with pg_upgrade)");
        }
    }

    /**
     * A service killed with SIGKILL leaves its postmaster running and its {@code postmaster.pid} behind, which blocks
     * the next start. When no live service holds the directory's lock, that postmaster is an orphan: stop it.
     */
    static void stopOrphanedPostmaster(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        assertNotInUse(dir);
        String firstLine = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream().findFirst().orElse("").trim();
        Optional<ProcessHandle> postmaster = parsePid(firstLine).flatMap(ProcessHandle::of)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (postmaster.isEmpty()) {
            LOG.infof("Removing the stale %s (no postmaster runs with pid %s)", pidFile, firstLine);
            Files.deleteIfExists(pidFile);
            return;
        }
        ProcessHandle orphan = postmaster.get();
        LOG.warnf("Stopping the orphaned embedded PostgreSQL (pid %d) left running on %s by an earlier run", orphan.pid(),
                dir);
        orphan.destroy();
        try {
            orphan.onExit().get(ORPHAN_STOP_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            orphan.destroyForcibly();
        }
    }

    private static void assertNotInUse(Path dir) throws IOException {
        Path lockFile = dir.resolve(ZONKY_LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileOutputStream stream = new FileOutputStream(lockFile.toFile(), true);
                FileLock lock = stream.getChannel().tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("another running registry-service uses " + dir);
            }
        }
    }

    private static Optional<Long> parsePid(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
