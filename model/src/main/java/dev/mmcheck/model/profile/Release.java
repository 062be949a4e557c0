package dev.mmcheck.model.profile;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A mainline kernel release tag, vMAJOR.MINOR, ordered as the kernel's history is. */
public record Release(int major, int minor) implements Comparable<Release> {
    private static final Pattern TAG = Pattern.compile("v([0-9]{1,2})\\.([0-9]{1,2})");

    public static Release parse(String tag) {
        Matcher m = TAG.matcher(tag);
        if (!m.matches()) throw new IllegalArgumentException("not a release tag such as v6.11: '" + tag + "'");
        return new Release(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    public boolean atLeast(Release other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(Release o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return "v" + major + "." + minor;
    }
}
