package dev.mmcheck.model.plugin;

/**
 * A rule plugin threw instead of deciding. The run stops and the report names the plugin, its point and what it threw:
 * a proposed rule that crashes on some page is a finding about the rule, not an error of mmcheck.
 */
public final class PluginFailure extends RuntimeException {
    private final transient RulePlugin plugin;

    public PluginFailure(RulePlugin plugin, Throwable cause) {
        super("rule plugin " + plugin.name() + " (" + plugin.point() + ") threw " + cause, cause);
        this.plugin = plugin;
    }

    public RulePlugin plugin() {
        return plugin;
    }
}
