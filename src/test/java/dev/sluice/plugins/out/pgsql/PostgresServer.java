package dev.sluice.plugins.out.pgsql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.sluice.testing.Ports;

/**
 * A throw-away PostgreSQL server for tests: {@code initdb} into a temporary directory, then
 * {@code pg_ctl start/stop} on a free loopback port, trust authentication. The binaries come from
 * Debian's {@code postgresql} package ({@code /usr/lib/postgresql/<version>/bin}). PostgreSQL
 * refuses to run as root: as root, the commands run as the {@code postgres} user (created by the
 * package) through {@code runuser}.
 */
final class PostgresServer implements AutoCloseable {

	final Path dir;

	final Path data;

	final int port;

	private final Path bin;

	private final boolean root;

	PostgresServer() throws Exception {
		this.bin = findBin();
		this.root = "root".equals(System.getProperty("user.name"));
		this.dir = Files.createTempDirectory("sluice-pg");
		this.data = this.dir.resolve("data");
		this.port = Ports.free();
		if (this.root) {
			run(List.of("chown", "postgres", this.dir.toString()), false);
		}
		run(List.of(this.bin.resolve("initdb").toString(), "-D", this.data.toString(), "-A", "trust", "-U", "postgres",
				"--no-sync", "-E", "UTF8"), true);
		start();
		try (Connection c = connect("postgres")) {
			c.createStatement().execute("CREATE DATABASE fluentbit");
		}
	}

	static Path findBin() {
		Path base = Path.of("/usr/lib/postgresql");
		try (Stream<Path> versions = Files.isDirectory(base) ? Files.list(base) : Stream.empty()) {
			return versions.map((v) -> v.resolve("bin"))
				.filter((b) -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
				.max(Comparator.comparing((Path b) -> b.getParent().getFileName().toString(),
						Comparator.comparingInt((String v) -> v.matches("\\d+") ? Integer.parseInt(v) : 0)))
				.orElseThrow(() -> new AssertionError(
						"PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql: "
								+ "install the Debian package 'postgresql' (bin/verify does)"));
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
	}

	void start() throws Exception {
		run(List.of(this.bin.resolve("pg_ctl").toString(), "-D", this.data.toString(), "-l",
				this.dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
				"-p " + this.port + " -k " + this.dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"), true);
	}

	void stop() throws Exception {
		run(List.of(this.bin.resolve("pg_ctl").toString(), "-D", this.data.toString(), "-m", "fast", "-w", "-t", "60",
				"stop"), true);
	}

	Connection connect(String database) throws SQLException {
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + this.port + "/" + database, "postgres", "");
	}

	private void run(List<String> command, boolean asPostgres) throws Exception {
		List<String> cmd = new ArrayList<>();
		if (asPostgres && this.root) {
			cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		cmd.addAll(command);
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).directory(this.dir.toFile()).start();
		String out = new String(p.getInputStream().readAllBytes());
		if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
			String log = Files.exists(this.dir.resolve("server.log")) ? Files.readString(this.dir.resolve("server.log")) : "";
			throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out + "\n" + log);
		}
	}

	@Override
	public void close() throws Exception {
		try {
			stop();
		}
		catch (Exception ex) {
			// already stopped
		}
		try (Stream<Path> all = Files.walk(this.dir)) {
			all.sorted(Comparator.reverseOrder()).forEach((f) -> f.toFile().delete());
		}
	}
}
