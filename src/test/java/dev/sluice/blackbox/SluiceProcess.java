package dev.sluice.blackbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sluice.testing.Await;

/**
 * The packaged {@code bin/sluice} started as a process, as a user (or Fluent Bit's own test
 * harness) starts {@code fluent-bit}: stdout and stderr go to files the test reads.
 */
final class SluiceProcess implements AutoCloseable {

	static final Path HOME = Path.of(System.getProperty("sluice.home", ".")).toAbsolutePath();

	private final Process process;

	private final Path out;

	private final Path err;

	private SluiceProcess(Process process, Path out, Path err) {
		this.process = process;
		this.out = out;
		this.err = err;
	}

	static SluiceProcess start(Path workDir, String... args) throws IOException {
		List<String> cmd = new ArrayList<>();
		cmd.add(HOME.resolve("bin/sluice").toString());
		cmd.addAll(List.of(args));
		Path out = Files.createTempFile(workDir, "stdout", ".txt");
		Path err = Files.createTempFile(workDir, "stderr", ".txt");
		ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
			.redirectOutput(out.toFile())
			.redirectError(err.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
		return new SluiceProcess(pb.start(), out, err);
	}

	/** Runs to completion and returns the exit code. */
	static Result run(Path workDir, String... args) throws Exception {
		try (SluiceProcess p = start(workDir, args)) {
			int code = p.waitFor(Duration.ofSeconds(60));
			return new Result(code, p.stdout(), p.stderr());
		}
	}

	record Result(int exitCode, String stdout, String stderr) {
	}

	String stdout() throws IOException {
		return Files.readString(this.out, StandardCharsets.UTF_8);
	}

	String stderr() throws IOException {
		return Files.readString(this.err, StandardCharsets.UTF_8);
	}

	void awaitStdout(String what, java.util.function.Predicate<String> ok) {
		Await.until(Duration.ofSeconds(60), what, () -> {
			try {
				return ok.test(stdout());
			}
			catch (IOException ex) {
				return false;
			}
		});
	}

	void awaitStderr(String what, java.util.function.Predicate<String> ok) {
		Await.until(Duration.ofSeconds(60), what, () -> {
			try {
				return ok.test(stderr());
			}
			catch (IOException ex) {
				return false;
			}
		});
	}

	/** Sends SIGTERM. */
	void terminate() {
		this.process.destroy();
	}

	void signal(String name) throws Exception {
		new ProcessBuilder("kill", "-" + name, Long.toString(this.process.pid())).start().waitFor();
	}

	long pid() {
		return this.process.pid();
	}

	int waitFor(Duration d) throws Exception {
		if (!this.process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new AssertionError("sluice did not exit within " + d + "; stderr:\n" + stderr());
		}
		return this.process.exitValue();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
		}
	}
}
