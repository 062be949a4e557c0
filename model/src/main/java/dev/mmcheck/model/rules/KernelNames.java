package dev.mmcheck.model.rules;

import dev.mmcheck.model.profile.Release;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kernel functions the model names that were renamed in the releases it covers (mostly the folio conversions), so
 * that a trace speaks the vocabulary of the release being checked. The rules record the older name; a report
 * rewrites it for releases at or after the rename. Each rename was checked by reading the function's definition in
 * trees just before and just after it (docs/kernel-sources/timeline.md, "Renames").
 */
public final class KernelNames {
    private KernelNames() {
    }

    /** {@code from} became {@code to} in {@code since} (the first tag whose tree defines {@code to}). */
    record Rename(String from, String to, Release since) {
    }

    private static final List<Rename> RENAMES = List.of(
            // mm/vmscan.c and mm/swapfile.c folio conversions: absent in 6.0.1, present in 6.1.20
            new Rename("shrink_page_list", "shrink_folio_list", new Release(6, 1)),
            new Rename("try_to_free_swap", "folio_free_swap", new Release(6, 1)),
            // include/linux/rmap.h: the "mm/rmap: ... folio_try_*_anon_rmap_*" series, absent in 6.5.0, present in 6.8.0
            new Rename("page_try_dup_anon_rmap", "folio_try_dup_anon_rmap_pte", new Release(6, 8)),
            new Rename("page_try_share_anon_rmap", "folio_try_share_anon_rmap_pte", new Release(6, 8)),
            new Rename("page_move_anon_rmap", "folio_move_anon_rmap", new Release(6, 8)),
            new Rename("page_remove_rmap", "folio_remove_rmap_pte", new Release(6, 8)),
            // mm/gup.c: try_grab_page() is defined in 6.8.0 and gone in 6.11.11 (try_grab_folio() remains); the
            // release in between was not read, so the later bound is used
            new Rename("try_grab_page", "try_grab_folio", new Release(6, 11)));

    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The text with every renamed function written as the release calls it. */
    public static String inRelease(String text, Release release) {
        Matcher m = WORD.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String word = m.group();
            for (Rename r : RENAMES) {
                if (r.from.equals(word) && release.atLeast(r.since)) {
                    word = r.to;
                    break;
                }
            }
            m.appendReplacement(b, Matcher.quoteReplacement(word));
        }
        m.appendTail(b);
        return b.toString();
    }
}
