package org.puente.cli;

import picocli.CommandLine;

/** Reports the version recorded in the jar manifest at build time. */
public final class PuenteVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = PuenteVersion.class.getPackage().getImplementationVersion();
        return new String[] {"puente " + (v == null ? "development build" : v)};
    }
}
