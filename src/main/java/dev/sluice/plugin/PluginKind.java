package dev.sluice.plugin;

/** The three kinds of plugin, as in Fluent Bit's sections. */
public enum PluginKind {

	INPUT("input", "-i"), FILTER("filter", "-F"), OUTPUT("output", "-o");

	private final String label;

	private final String flag;

	PluginKind(String label, String flag) {
		this.label = label;
		this.flag = flag;
	}

	/** {@code input}, {@code filter} or {@code output}. */
	public String label() {
		return this.label;
	}

	/** The command-line flag that starts a section of this kind. */
	public String flag() {
		return this.flag;
	}
}
