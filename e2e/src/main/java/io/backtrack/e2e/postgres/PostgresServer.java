package io.backtrack.e2e.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server from the Debian packages ({@code /usr/lib/postgresql/<major>/bin}) with a temp
 * data directory, listening on 127.0.0.1 with SCRAM password authentication (so a wrong password really fails).
 * As root it runs as the {@code postgres} OS user through {@code runuser} (initdb refuses root).
 *
 * <pre>{@code
 * try (PostgresServer pg = PostgresServer.start()) {
 *     pg.createDatabase("shop");
 *     SampleData.load(pg, "shop");
 * }
 * }</pre>
 * Or {@link #shared()}: one server per test JVM, started lazily and stopped at JVM exit.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String SUPERUSER = "postgres";
    private static final String PASSWORD = "backtrack-test-pw";
    private static final Path PG_ROOT = Path.of("/usr/lib/postgresql");
    private static PostgresServer shared;

    private final Path baseDir;
    private final Path binDir;
    private final int major;
    private final int port;
    private boolean stopped;

    private PostgresServer(Path baseDir, Path binDir, int major, int port) {
        this.baseDir = baseDir;
        this.binDir = binDir;
        this.major = major;
        this.port = port;
    }

    /** Starts a server on a free port. */
    public static PostgresServer start() {
        return start(freePort());
    }

    /**
     * TLS settings of a server started with {@link #startWithTls}: its certificate and key, and the CA its clients'
     * certificates must chain to.
     *
     * @param certUser a role created as superuser that logs in with its client certificate alone (pg_hba's cert
     *                 method); every other role logs in with its password, over TLS only
     */
    public record Tls(Path certificate, Path key, Path clientCa, String certUser) {
    }

    /** Starts a server on the given port (initdb + pg_ctl start -w; ~2 s). */
    public static PostgresServer start(int port) {
        return start(port, null);
    }

    /**
     * A server that accepts only TLS connections (pg_hba hostssl): password logins, and {@link Tls#certUser()} by
     * client certificate.
     */
    public static PostgresServer startWithTls(Tls tls) {
        return start(freePort(), tls);
    }

    /**
     * A server of another major version, from {@code <root>/<major>/bin} (the layout of /usr/lib/postgresql and of
     * e2e/postgres-versions.sh), on a free port.
     */
    public static PostgresServer start(Path root, int major) {
        return start(freePort(), null, root.resolve(String.valueOf(major)).resolve("bin"), major);
    }

    private static PostgresServer start(int port, Tls tls) {
        int major = installedMajor();
        return start(port, tls, PG_ROOT.resolve(String.valueOf(major)).resolve("bin"), major);
    }

    private static PostgresServer start(int port, Tls tls, Path bin, int major) {
        try {
            Path base = Files.createTempDirectory("backtrack-pg-");
            boolean root = isRoot();
            if (root) {
                run(List.of("chown", SUPERUSER, base.toString()));
            }
            Path pwfile = base.resolve("pwfile");
            Files.writeString(pwfile, PASSWORD + "\n");
            if (root) {
                run(List.of("chown", SUPERUSER, pwfile.toString()));
            }
            PostgresServer server = new PostgresServer(base, bin, major, port);
            server.asPostgres(List.of(bin.resolve("initdb").toString(), "-D", base.resolve("data").toString(),
                    "-A", "scram-sha-256", "-U", SUPERUSER, "--pwfile=" + pwfile, "--no-sync", "-E", "UTF8",
                    "--locale=C"));
            String options = "-p " + port + " -k " + base + " -c listen_addresses=127.0.0.1 -c fsync=off"
                    + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=50";
            if (tls != null) {
                options += server.configureTls(tls, root);
            }
            server.asPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", base.resolve("data").toString(),
                    "-o", options, "-l", base.resolve("server.log").toString(), "-w", "-t", "60", "start"));
            if (tls != null) {
                server.execute("postgres", "CREATE ROLE " + quote(tls.certUser()) + " LOGIN SUPERUSER");
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies the server's certificate, key (0600, the server's own, as it insists) and client CA into the data
     * directory's parent, and allows TLS connections only; returns the server options that turn TLS on.
     */
    private String configureTls(Tls tls, boolean root) throws IOException {
        Path cert = Files.copy(tls.certificate(), baseDir.resolve("server.crt"));
        Path key = Files.copy(tls.key(), baseDir.resolve("server.key"));
        Path ca = Files.copy(tls.clientCa(), baseDir.resolve("client-ca.crt"));
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        if (root) {
            run(List.of("chown", SUPERUSER, cert.toString(), key.toString(), ca.toString()));
        }
        Path hba = baseDir.resolve("data").resolve("pg_hba.conf");
        Files.writeString(hba, "local all all trust\n"
                + "hostssl all " + tls.certUser() + " 127.0.0.1/32 cert\n"
                + "hostssl all all 127.0.0.1/32 scram-sha-256\n");
        return " -c ssl=on -c ssl_cert_file=" + cert + " -c ssl_key_file=" + key + " -c ssl_ca_file=" + ca;
    }

    /** One server per JVM, stopped by a shutdown hook. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
            PostgresServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "postgres-stop"));
        }
        return shared;
    }

    /** The highest PostgreSQL major installed under /usr/lib/postgresql that has a server. */
    public static int installedMajor() {
        try (Stream<Path> dirs = Files.list(PG_ROOT)) {
            return dirs.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+"))
                    .filter(n -> Files.isExecutable(PG_ROOT.resolve(n).resolve("bin/initdb")))
                    .map(Integer::parseInt).max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server under " + PG_ROOT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int major() {
        return major;
    }

    /** A client tool of this server's version (pg_dump, psql, ...). */
    public Path tool(String name) {
        return binDir.resolve(name);
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public String superuser() {
        return SUPERUSER;
    }

    public String password() {
        return PASSWORD;
    }

    public String jdbcUrl(String db) {
        return "jdbc:postgresql://" + host() + ":" + port + "/"
                + java.net.URLEncoder.encode(db, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public Connection connect(String db) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("password", PASSWORD);
        return DriverManager.getConnection(jdbcUrl(db), props);
    }

    public void createDatabase(String name) {
        execute("postgres", "CREATE DATABASE " + quote(name));
    }

    /** Drops the database if it exists, disconnecting its sessions. */
    public void dropDatabase(String name) {
        execute("postgres", "DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
    }

    public boolean databaseExists(String name) {
        try (Connection c = connect("postgres");
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs each statement in autocommit mode. */
    public void execute(String db, String... sql) {
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + db + ": " + e.getMessage(), e);
        }
    }

    /** The first column of every row of a query, as text (null as "null"). */
    public List<String> query(String db, String sql) {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(String.valueOf(rs.getString(1)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed on " + db + ": " + e.getMessage(), e);
        }
        return rows;
    }

    /** A database name not yet used in this server (for tests sharing one server). */
    public String uniqueDatabaseName(String prefix) {
        return prefix + "_" + Long.toString(System.nanoTime(), 36);
    }

    /** Stops immediately and deletes the data directory. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            asPostgres(List.of(binDir.resolve("pg_ctl").toString(), "-D", baseDir.resolve("data").toString(),
                    "-m", "immediate", "-w", "stop"));
        } catch (RuntimeException e) {
            System.err.println("postgres stop failed: " + e.getMessage());
        }
        deleteRecursively(baseDir);
    }

    @Override
    public void close() {
        stop();
    }

    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private void asPostgres(List<String> command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a directory tree, quietly (what cannot be removed stays, and is named on stderr). */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
