/**
 * Rule plugins: a kernel developer's proposed rule for one decision point, written against a small interface and
 * loaded from a JAR with {@link java.util.ServiceLoader} ({@code mmcheck check --plugin JAR}). A plugin sees the page
 * the rule is about through {@link dev.mmcheck.model.plugin.PageView} (read-only: no state escapes to it) and returns
 * the rule's decision; the kernel side effects around the decision (mapping writable, copying, PG_anon_exclusive) stay
 * the model's. Three points take plugins: {@code wp-reuse} ({@link dev.mmcheck.model.plugin.WpReuseRule}),
 * {@code fork-maybe-pinned} ({@link dev.mmcheck.model.plugin.ForkCopyRule}) and {@code mprotect-upgrade}
 * ({@link dev.mmcheck.model.plugin.MprotectUpgradeRule}). A plugin must be a pure function of its view: the checker
 * relies on determinism.
 */
package dev.mmcheck.model.plugin;
