package dev.sluice.plugins.external;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Builds the test plugins: C sources with gcc, Go plugins with {@code go build -buildmode=c-shared}
 * against the local fluent-bit-go copy in {@code src/test/resources/external/go/fluent-bit-go}.
 * A missing toolchain fails the test (CI installs gcc and golang-go), it never skips.
 */
final class NativeBuild {

	private static final Path OUT = Path.of("target", "external-plugins").toAbsolutePath();

	private static final Map<String, Path> BUILT = new ConcurrentHashMap<>();

	private NativeBuild() {
	}

	/** Compiles {@code external/c/out_cfile.c} with the given {@code -D} macros into {@code <name>.so}. */
	static Path c(String name, String... defines) {
		return BUILT.computeIfAbsent("c:" + name, (k) -> {
			Path src = resource("external/c/out_cfile.c");
			Path out = OUT.resolve("lib" + name + ".so");
			List<String> cmd = new ArrayList<>(List.of(tool("gcc", "apt-get install gcc"), "-shared", "-fPIC", "-O2",
					"-Wall", "-DPLUGIN_NAME=\"" + name + "\""));
			for (String d : defines) {
				cmd.add("-D" + d);
			}
			cmd.addAll(List.of("-o", out.toString(), src.toString()));
			run(cmd, src.getParent(), Map.of());
			return out;
		});
	}

	/** Compiles an arbitrary C source (for broken plugins). */
	static Path cSource(String name, String source) {
		return BUILT.computeIfAbsent("csrc:" + name, (k) -> {
			try {
				Files.createDirectories(OUT);
				Path src = OUT.resolve(name + ".c");
				Files.writeString(src, source);
				Path out = OUT.resolve("lib" + name + ".so");
				run(List.of(tool("gcc", "apt-get install gcc"), "-shared", "-fPIC", "-o", out.toString(), src.toString()),
						OUT, Map.of());
				return out;
			}
			catch (IOException ex) {
				throw new AssertionError(ex);
			}
		});
	}

	/**
	 * Builds the Go plugin in {@code external/go/<dir>} (a main package using the local
	 * fluent-bit-go module through a {@code replace}) into {@code <dir>.so}.
	 */
	static Path go(String dir) {
		return BUILT.computeIfAbsent("go:" + dir, (k) -> {
			Path src = resource("external/go/" + dir + "/go.mod").getParent();
			Path out = OUT.resolve(dir + ".so");
			String go = tool("go", "apt-get install golang-go");
			run(List.of(go, "build", "-buildmode=c-shared", "-o", out.toString(), "."), src,
					Map.of("GOFLAGS", "-mod=mod", "GOPROXY", "off", "GOSUMDB", "off", "GO111MODULE", "on",
							"CGO_ENABLED", "1", "GOTOOLCHAIN", "local"));
			return out;
		});
	}

	static Path resource(String name) {
		try {
			java.net.URL u = NativeBuild.class.getClassLoader().getResource(name);
			if (u == null) {
				throw new AssertionError("test resource " + name + " not found");
			}
			return Path.of(u.toURI());
		}
		catch (URISyntaxException ex) {
			throw new AssertionError(ex);
		}
	}

	/** Finds a tool on the PATH (or Debian's Go location); fails when missing. */
	static String tool(String name, String install) {
		List<String> dirs = new ArrayList<>(
				List.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)));
		dirs.addAll(List.of("/usr/lib/go/bin", "/usr/local/go/bin", "/usr/bin"));
		for (String d : dirs) {
			Path p = Path.of(d, name);
			if (Files.isExecutable(p)) {
				return p.toString();
			}
		}
		throw new AssertionError(name + " is not installed; these tests need it (" + install + ")");
	}

	private static void run(List<String> cmd, Path dir, Map<String, String> env) {
		try {
			Files.createDirectories(OUT);
			ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
			pb.environment().putAll(env);
			if (System.getenv("HOME") == null || !Files.isWritable(Path.of(System.getenv("HOME")))) {
				pb.environment().put("GOCACHE", OUT.resolve("go-cache").toString());
				pb.environment().put("GOPATH", OUT.resolve("go-path").toString());
			}
			Process p = pb.start();
			byte[] output = p.getInputStream().readAllBytes();
			if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
				throw new AssertionError("build failed: " + String.join(" ", cmd) + "\n"
						+ new String(output, StandardCharsets.UTF_8));
			}
		}
		catch (IOException ex) {
			throw new AssertionError("cannot run " + cmd + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}
}
