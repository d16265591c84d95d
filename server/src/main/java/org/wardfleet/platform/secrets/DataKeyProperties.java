package org.wardfleet.platform.secrets;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code wardfleet.data-key} (env {@code WARDFLEET_DATA_KEY}) or {@code wardfleet.data-key-file}
 * ({@code WARDFLEET_DATA_KEY_FILE}, e.g. a Kubernetes/Docker secret): the one key outside the database from which the
 * keys sealing secrets stored in it are derived. At least 32 characters; required under {@code prod}.
 */
@ConfigurationProperties("wardfleet")
record DataKeyProperties(String dataKey, Path dataKeyFile) {

    @Override
    public String toString() {
        return "DataKeyProperties[dataKey=***, dataKeyFile=" + dataKeyFile + "]";
    }
}
