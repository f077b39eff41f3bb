package io.mediaurlingest;

import org.apache.camel.main.Main;

/** {@code java -jar media-url-ingest.jar}: camel-main with application.properties and the ingest flows. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.configure().addRoutesBuilder(new MediaUrlIngest());
        main.run(args);
    }
}
