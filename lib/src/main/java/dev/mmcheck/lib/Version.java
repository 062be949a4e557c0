package dev.mmcheck.lib;

/** The tool's version, recorded in every report and counterexample file. */
public final class Version {
    private Version() {
    }

    public static final String NUMBER = "0.2.0";
    public static final String TOOL = "mmcheck " + NUMBER;
}
