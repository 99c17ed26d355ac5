package dev.sluice.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs copies of {@code bin/sluice} in scratch installations, with a fake {@code java} or with
 * {@code SLUICE_LAUNCH_DRY_RUN=1}, so no jar and no JVM start is needed.
 */
@DisabledOnOs(OS.WINDOWS)
final class LauncherScriptTest {

	private static final Path SCRIPT = Path.of("bin/sluice");

	@TempDir
	Path tmp;

	private Path checkout;

	private Path installed;

	private Path fakeJdk;

	record Result(int exitCode, String out, String err, long pid) {

		List<String> lines() {
			return this.out.lines().toList();
		}
	}

	@BeforeEach
	void layouts() throws IOException {
		this.checkout = this.tmp.resolve("checkout");
		Files.createDirectories(this.checkout.resolve("bin"));
		Files.copy(SCRIPT, this.checkout.resolve("bin/sluice"));
		Files.writeString(this.checkout.resolve("pom.xml"), "<project/>");

		this.installed = this.tmp.resolve("opt/sluice");
		Files.createDirectories(this.installed.resolve("bin"));
		Files.createDirectories(this.installed.resolve("lib"));
		Files.copy(SCRIPT, this.installed.resolve("bin/sluice"));
		Files.writeString(this.installed.resolve("lib/sluice.jar"), "not really a jar");

		// A "JDK" whose java prints its process id and arguments.
		this.fakeJdk = this.tmp.resolve("jdk");
		Files.createDirectories(this.fakeJdk.resolve("bin"));
		Path java = this.fakeJdk.resolve("bin/java");
		Files.writeString(java, "#!/bin/sh\necho \"pid=$$\"\nfor a in \"$@\"; do echo \"$a\"; done\n");
		Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
		Files.writeString(this.fakeJdk.resolve("release"), "JAVA_VERSION=\"25.0.1\"\n");
	}

	private Result launch(Path script, Map<String, String> env, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("bash", script.toString()));
		command.addAll(List.of(args));
		ProcessBuilder pb = new ProcessBuilder(command);
		pb.environment().keySet().removeIf((k) -> k.startsWith("SLUICE_") || k.equals("JAVA_HOME")
				|| k.equals("JAVA_OPTS"));
		pb.environment().putAll(env);
		pb.redirectErrorStream(false);
		Process p = pb.start();
		p.getOutputStream().close();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return new Result(p.exitValue(), out, err, p.pid());
	}

	@Test
	void checkoutWithoutJarSaysToBuildFirst() throws Exception {
		Result r = launch(this.checkout.resolve("bin/sluice"), Map.of(), "-V");
		assertThat(r.exitCode()).isEqualTo(1);
		assertThat(r.out()).isEmpty();
		assertThat(r.err()).isEqualTo("sluice: " + this.checkout.toRealPath().resolve("target/sluice.jar")
				+ " not found: run ./mvnw package first\n");
	}

	@Test
	void installationWithoutJarIsReported() throws Exception {
		Files.delete(this.installed.resolve("lib/sluice.jar"));
		Result r = launch(this.installed.resolve("bin/sluice"), Map.of());
		assertThat(r.exitCode()).isEqualTo(1);
		assertThat(r.err()).contains("lib/sluice.jar not found");
	}

	@Test
	void checkoutJarIsUsedWhenBuilt() throws Exception {
		Files.createDirectories(this.checkout.resolve("target"));
		Files.writeString(this.checkout.resolve("target/sluice.jar"), "x");
		Result r = launch(this.checkout.resolve("bin/sluice"),
				Map.of("SLUICE_JAVA_HOME", this.fakeJdk.toString()), "-V");
		assertThat(r.exitCode()).isZero();
		assertThat(r.lines()).containsSubsequence("-jar", this.checkout.toRealPath().resolve("target/sluice.jar").toString(),
				"-V");
	}

	@Test
	void execsJavaWithTheArgumentsUnchanged() throws Exception {
		Result r = launch(this.installed.resolve("bin/sluice"), Map.of("SLUICE_JAVA_HOME", this.fakeJdk.toString()),
				"-i", "dummy", "-p", "dummy={\"a\": \"b c\"}", "-o", "stdout", "");
		assertThat(r.exitCode()).isZero();
		List<String> lines = r.lines();
		// exec: the java process is the launcher's own process, so signals sent to it reach the JVM.
		assertThat(lines.get(0)).isEqualTo("pid=" + r.pid());
		int jar = lines.indexOf("-jar");
		assertThat(lines.get(jar + 1)).isEqualTo(this.installed.toRealPath().resolve("lib/sluice.jar").toString());
		assertThat(lines.subList(jar + 2, lines.size())).containsExactly("-i", "dummy", "-p",
				"dummy={\"a\": \"b c\"}", "-o", "stdout", "");
	}

	@Test
	void sidecarFlagsByDefault() throws Exception {
		Result r = launch(this.installed.resolve("bin/sluice"), Map.of("SLUICE_JAVA_HOME", this.fakeJdk.toString()));
		assertThat(r.lines()).contains("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=50", "-Xss512k",
				"-XX:+ExitOnOutOfMemoryError", "-Dsluice.program=" + this.installed.resolve("bin/sluice"));
	}

	@Test
	void theHeapIsCappedOnlyWithoutAContainerMemoryLimit() throws Exception {
		Result r = launch(this.installed.resolve("bin/sluice"), Map.of("SLUICE_JAVA_HOME", this.fakeJdk.toString()));
		if (containerMemoryLimit() == null) {
			assertThat(r.lines()).containsSubsequence("-XX:MaxRAMPercentage=50", "-XX:MaxRAM=1g", "-jar");
		}
		else {
			assertThat(r.lines()).doesNotContain("-XX:MaxRAM=1g");
		}
		// an -Xmx of the user's comes later and wins over the cap
		Result x = launch(this.installed.resolve("bin/sluice"),
				Map.of("SLUICE_JAVA_HOME", this.fakeJdk.toString(), "SLUICE_JAVA_OPTS", "-Xmx2g"));
		assertThat(x.lines().indexOf("-Xmx2g")).isGreaterThan(x.lines().indexOf("-XX:MaxRAMPercentage=50"));
	}

	/** The cgroup memory limit of this machine, or null when there is none (as the launcher reads it). */
	private static Long containerMemoryLimit() throws IOException {
		for (String f : new String[] { "/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes" }) {
			Path p = Path.of(f);
			if (Files.isReadable(p)) {
				String v = Files.readString(p).strip();
				if (v.equals("max") || v.length() > 18) {
					return null;
				}
				long total = 0;
				for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
					if (line.startsWith("MemTotal:")) {
						total = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
					}
				}
				long limit = Long.parseLong(v);
				return (limit < total) ? limit : null;
			}
		}
		return null;
	}

	@Test
	void javaOptsThenSluiceJavaOptsComeAfterTheDefaults() throws Exception {
		Result r = launch(this.installed.resolve("bin/sluice"), Map.of("SLUICE_JAVA_HOME", this.fakeJdk.toString(),
				"JAVA_OPTS", "-Xmx1g  -Dfrom=java_opts", "SLUICE_JAVA_OPTS", "-XX:MaxRAMPercentage=70 -Xss1m"));
		assertThat(r.lines()).containsSubsequence("-XX:MaxRAMPercentage=50", "-Xss512k", "-Xmx1g", "-Dfrom=java_opts",
				"-XX:MaxRAMPercentage=70", "-Xss1m", "-jar");
		assertThat(r.lines()).contains("-XX:+UseSerialGC");
	}

	@Test
	void aCollectorChosenInTheOptionsReplacesTheDefaultOne() throws Exception {
		Result r = launch(this.installed.resolve("bin/sluice"),
				Map.of("SLUICE_JAVA_HOME", this.fakeJdk.toString(), "SLUICE_JAVA_OPTS", "-XX:+UseG1GC"));
		assertThat(r.lines()).contains("-XX:+UseG1GC").doesNotContain("-XX:+UseSerialGC");
	}

	@Test
	void theAotCacheIsUsedUnlessTheOptionsMakeItUnusable() throws Exception {
		Path app = Files.createDirectories(this.checkout.resolve("target/sluice-app"));
		Files.writeString(this.checkout.resolve("target/sluice.jar"), "x");
		Files.writeString(app.resolve("sluice.jar"), "x");
		Files.writeString(app.resolve("sluice.aot"), "x");
		String cache = "-XX:AOTCache=" + this.checkout.toRealPath().resolve("target/sluice-app/sluice.aot");
		Map<String, String> env = Map.of("SLUICE_JAVA_HOME", this.fakeJdk.toString());
		assertThat(launch(this.checkout.resolve("bin/sluice"), env, "-V").lines()).contains(cache)
			.containsSubsequence("-jar", this.checkout.toRealPath().resolve("target/sluice-app/sluice.jar").toString());
		assertThat(launch(this.checkout.resolve("bin/sluice"), Map.of("SLUICE_JAVA_HOME", this.fakeJdk.toString(),
				"SLUICE_JAVA_OPTS", "-Xmx256m"), "-V").lines()).contains(cache);
		// another collector, or a young generation sized by hand, would make the JVM refuse the cache
		for (String opts : List.of("-XX:+UseG1GC", "-Xmn64m", "-XX:NewSize=48m")) {
			assertThat(launch(this.checkout.resolve("bin/sluice"),
					Map.of("SLUICE_JAVA_HOME", this.fakeJdk.toString(), "SLUICE_JAVA_OPTS", opts), "-V").lines())
				.as(opts)
				.noneMatch((l) -> l.startsWith("-XX:AOTCache="));
		}
		assertThat(launch(this.checkout.resolve("bin/sluice"),
				Map.of("SLUICE_JAVA_HOME", this.fakeJdk.toString(), "SLUICE_NO_AOT", "1"), "-V").lines())
			.noneMatch((l) -> l.startsWith("-XX:AOTCache="));
	}

	@Test
	void symlinkedLauncherFindsItsInstallation() throws Exception {
		Path links = Files.createDirectories(this.tmp.resolve("usr/local/bin"));
		Path link = Files.createSymbolicLink(links.resolve("fluent-bit"), this.installed.resolve("bin/sluice"));
		// A relative link to that link, too.
		Path link2 = Files.createSymbolicLink(this.tmp.resolve("fb"), Path.of("usr/local/bin/fluent-bit"));
		for (Path l : List.of(link, link2)) {
			Result r = launch(l, Map.of("SLUICE_JAVA_HOME", this.fakeJdk.toString()), "-V");
			assertThat(r.exitCode()).isZero();
			assertThat(r.lines()).contains(this.installed.toRealPath().resolve("lib/sluice.jar").toString(),
					"-Dsluice.program=" + l);
		}
	}

	@Test
	void javaHomeIsUsedOnlyWhenItIsJava25OrNewer() throws Exception {
		Map<String, String> env = Map.of("JAVA_HOME", this.fakeJdk.toString(), "SLUICE_LAUNCH_DRY_RUN", "1");
		Result r = launch(this.installed.resolve("bin/sluice"), env);
		assertThat(r.lines().get(0)).isEqualTo(this.fakeJdk.resolve("bin/java").toString());

		Files.writeString(this.fakeJdk.resolve("release"), "JAVA_VERSION=\"17.0.2\"\n");
		r = launch(this.installed.resolve("bin/sluice"), env);
		if (r.exitCode() == 0) {
			assertThat(r.lines().get(0)).isNotEqualTo(this.fakeJdk.resolve("bin/java").toString());
		}
		else {
			// No other Java 25 on this machine.
			assertThat(r.err()).contains("Java 25 or newer is required");
		}
	}

	@Test
	void dryRunPrintsTheCommand() throws Exception {
		Result r = launch(this.installed.resolve("bin/sluice"),
				Map.of("SLUICE_JAVA_HOME", this.fakeJdk.toString(), "SLUICE_LAUNCH_DRY_RUN", "1"), "-h");
		assertThat(r.exitCode()).isZero();
		assertThat(r.lines().get(0)).isEqualTo(this.fakeJdk.resolve("bin/java").toString());
		assertThat(r.lines()).endsWith("-jar", this.installed.toRealPath().resolve("lib/sluice.jar").toString(), "-h");
	}

	@Test
	void badSluiceJavaHomeIsAnError() throws Exception {
		Result r = launch(this.installed.resolve("bin/sluice"), Map.of("SLUICE_JAVA_HOME", "/nonexistent"));
		assertThat(r.exitCode()).isEqualTo(1);
		assertThat(r.err()).isEqualTo("sluice: SLUICE_JAVA_HOME=/nonexistent has no bin/java\n");
	}
}
