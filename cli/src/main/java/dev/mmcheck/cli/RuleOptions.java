package dev.mmcheck.cli;

import dev.mmcheck.lib.Lookup;
import dev.mmcheck.lib.MmCheck;
import dev.mmcheck.lib.plugin.PluginLoader;
import dev.mmcheck.model.plugin.RulePlugin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --set POINT=CHOICE} and {@code --plugin JAR}: a proposed rule for a decision point, applied to every spec on
 * top of its own {@code set} lines (a later one for the same point wins).
 */
final class RuleOptions {
    @Option(names = "--set", paramLabel = "POINT=CHOICE", description = "override a decision point in every spec, after the spec's own set "
            + "lines (e.g. --set wp-reuse=page-count-free-swap); repeatable; ./mmcheck profiles lists the points and their choices")
    List<String> sets = new ArrayList<>();

    @Option(names = "--plugin", paramLabel = "JAR", description = "load rule plugins (a proposed rule for wp-reuse, fork-maybe-pinned or "
            + "mprotect-upgrade, see docs/plugins.md) from JAR and use them in every spec; repeatable")
    List<Path> plugins = new ArrayList<>();

    /** A usage error: the message names the option. */
    static final class Usage extends Exception {
        Usage(String message) {
            super(message);
        }
    }

    boolean isEmpty() {
        return sets.isEmpty() && plugins.isEmpty();
    }

    /** The plugins of every --plugin JAR. */
    List<RulePlugin> load() throws Usage {
        try {
            return PluginLoader.load(plugins);
        } catch (PluginLoader.PluginException e) {
            throw new Usage("--plugin " + e.getMessage());
        }
    }

    /** {@code options} with the plugins and then the --set overrides (a --set of a plugin's point replaces it). */
    MmCheck.Options apply(MmCheck.Options options) throws Usage {
        MmCheck.Options o = options;
        for (RulePlugin p : load()) o = o.plugin(p);
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) throw new Usage("--set " + s + ": expected POINT=CHOICE, e.g. --set wp-reuse=page-count-free-swap");
            try {
                o = o.set(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
            } catch (Lookup.UnknownName e) {
                throw new Usage("--set " + s + ": " + e.getMessage());
            }
        }
        return o;
    }
}
