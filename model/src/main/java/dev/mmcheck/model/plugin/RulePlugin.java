package dev.mmcheck.model.plugin;

/**
 * A proposed rule for one decision point. Implementations are listed in the JAR's
 * {@code META-INF/services/dev.mmcheck.model.plugin.RulePlugin} and need a public no-argument constructor.
 */
public interface RulePlugin {
    /** The decision point it replaces: {@code wp-reuse}, {@code fork-maybe-pinned} or {@code mprotect-upgrade}. */
    String point();

    /** Kebab-case, unique among the loaded plugins; profiles and reports name it {@code plugin:NAME}. */
    String name();

    /** The patch (mail, commit, series) it models, as a report cites it. */
    String citation();
}
