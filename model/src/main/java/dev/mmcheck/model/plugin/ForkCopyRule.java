package dev.mmcheck.model.plugin;

/**
 * Point {@code fork-maybe-pinned}: whether fork gives the child its own copy of an anonymous page now
 * (copy_present_page()) instead of sharing it write-protected. Where the release tracks PG_anon_exclusive, a shared
 * exclusive page has its bit cleared, as page_try_dup_anon_rmap() does.
 */
public interface ForkCopyRule extends RulePlugin {
    boolean copyAtFork(PageView page);

    @Override
    default String point() {
        return "fork-maybe-pinned";
    }
}
