package dev.sluice.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The container image the container tests run: a Docker engine (bin/docker-engine starts Debian's
 * dockerd when none answers), the two local base images (bin/build-base-image: debootstrap'ed
 * Debian and the local Temurin JDK, cached), then the root {@code Dockerfile} built by
 * Testcontainers as {@value #IMAGE}. Built once per test JVM; Docker's layer cache makes a
 * rebuild with an unchanged jar a few seconds.
 */
final class SluiceImage {

	static final Path HOME = Path.of(System.getProperty("sluice.home", ".")).toAbsolutePath().normalize();

	static final String IMAGE = "sluice:it";

	private static boolean built;

	private SluiceImage() {
	}

	static synchronized String ensureBuilt() throws Exception {
		if (built) {
			return IMAGE;
		}
		if (!Files.isRegularFile(HOME.resolve("target/sluice.jar"))) {
			throw new AssertionError(HOME.resolve("target/sluice.jar") + " is missing: run ./mvnw package (verify runs it first)");
		}
		run(HOME.resolve("bin/docker-engine").toString());
		String buildArgs = run(HOME.resolve("bin/build-base-image").toString()).strip();
		// "--build-arg BASE_IMAGE=x --build-arg JDK_IMAGE=y"
		ImageFromDockerfile image = new ImageFromDockerfile(IMAGE, false).withDockerfile(HOME.resolve("Dockerfile"));
		for (String word : buildArgs.split("\\s+")) {
			if (word.contains("=")) {
				image.withBuildArg(word.substring(0, word.indexOf('=')), word.substring(word.indexOf('=') + 1));
			}
		}
		long start = System.nanoTime();
		image.get();
		System.out.printf("built %s in %d ms%n", IMAGE, (System.nanoTime() - start) / 1_000_000);
		built = true;
		return IMAGE;
	}

	/** Runs a command, returns its stdout; fails with its output when it exits non-zero. */
	static String run(String... command) throws IOException, InterruptedException {
		List<String> cmd = new ArrayList<>(List.of(command));
		Path out = Files.createTempFile("sluice-cmd", ".out");
		Path err = Files.createTempFile("sluice-cmd", ".err");
		try {
			Process p = new ProcessBuilder(cmd).directory(HOME.toFile())
				.redirectOutput(out.toFile())
				.redirectError(err.toFile())
				.start();
			if (!p.waitFor(15, TimeUnit.MINUTES)) {
				p.destroyForcibly();
				throw new AssertionError(cmd + " did not finish in 15 minutes");
			}
			String stdout = Files.readString(out, StandardCharsets.UTF_8);
			if (p.exitValue() != 0) {
				throw new AssertionError(cmd + " exited with " + p.exitValue() + "\nstdout:\n" + stdout + "\nstderr:\n"
						+ Files.readString(err, StandardCharsets.UTF_8));
			}
			return stdout;
		}
		finally {
			Files.deleteIfExists(out);
			Files.deleteIfExists(err);
		}
	}

}
