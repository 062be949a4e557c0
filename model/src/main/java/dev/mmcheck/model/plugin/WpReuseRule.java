package dev.mmcheck.model.plugin;

/**
 * Point {@code wp-reuse}: whether do_wp_page() reuses a small anonymous page in place (wp_page_reuse()) or copies it
 * (wp_page_copy()), for a write or an unshare fault on a R/O PTE in a private mapping. On reuse the model sets
 * PG_anon_exclusive where the release tracks it (page_move_anon_rmap()); it drops no swapcache.
 */
public interface WpReuseRule extends RulePlugin {
    boolean reuse(PageView page);

    @Override
    default String point() {
        return "wp-reuse";
    }
}
