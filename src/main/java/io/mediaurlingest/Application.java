package io.mediaurlingest;

import java.util.Arrays;

import io.mediaurlingest.ops.LogFormat;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * {@code java -jar media-url-ingest.jar}: camel-main with application.properties and the ingest
 * flows. {@code --help} (or -Dingest.help) lists every setting with its default instead.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || System.getProperty("ingest.help") != null) {
            System.out.print(KnownSettings.help());
            return;
        }
        // from the command line or the environment at once, so that even camel-main's first line is JSON
        String format = System.getProperty("ingest.log.format", System.getenv("INGEST_LOG_FORMAT"));
        if (format != null) {
            LogFormat.apply(format.trim());
        }
        Main main = new Main();
        main.configure().addRoutesBuilder(new MediaUrlIngest());
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport started) {
                LogFormat.apply(started.getCamelContext().getPropertiesComponent()
                        .resolveProperty("ingest.log.format").orElse("text").trim());
            }
        });
        main.run(args);
    }
}
