package org.puente.engine.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The drop folders of one gateway: for agency systems that can only write and read files. Read
 * by {@link DropFolderConfigLoader} from the {@code puente.client.<id>.drop.*} keys.
 *
 * @param pollInterval how often the folders are scanned
 * @param folders      one entry per agency client with a drop folder
 */
public record DropFolderConfig(Duration pollInterval, List<Folder> folders) {

    /**
     * The folders of one agency client.
     *
     * @param client    the configured client the files are submitted as
     * @param inbound   where the agency puts files to submit ({@code processed/} and {@code rejected/} inside, the
     *                  gateway's own); as its real path, links above it resolved at start-up
     * @param outbound  where the gateway writes messages received for the agency, if it wants them as files (real
     *                  path too)
     * @param doneFiles {@code true}: a file is taken only once {@code <name>.done} exists beside it;
     *                  {@code false}: the agency writes {@code *.tmp} (or {@code *.part}, or a dot-file) and renames
     * @param language  language of the reason files (English or Spanish)
     */
    public record Folder(ClientEntry client, Optional<Path> inbound, Optional<Path> outbound, boolean doneFiles,
                         Locale language) {

        public String agency() {
            return client.agency().orElseThrow();
        }
    }

    public boolean isEmpty() {
        return folders.isEmpty();
    }
}
