package io.mediaurlingest.media;

import io.mediaurlingest.Database;
import io.mediaurlingest.RegistryBinding;
import io.mediaurlingest.Settings;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/** The media library (mediaRepository) and what works on files: mediaSniffer, mediaProber, remuxer (HLS to MP4). */
public final class MediaConfiguration implements CamelConfiguration {

    @PropertyInject("ingest.media.timeout")
    String timeout;
    @PropertyInject("ingest.data-dir")
    String dataDir;

    @Override
    public void configure(CamelContext context) throws Exception {
        Database database = RegistryBinding.lookup(context, "database", Database.class);
        RegistryBinding.bindIfAbsent(context, "mediaRepository", MediaRepository.class, () -> new MediaRepository(database));
        // one in-process probe for the sniffer and the prober; none where FFmpeg's libraries do not load
        InProcessProbe ffmpeg = LocalMediaFile.librariesLoad() ? new InProcessProbe(Settings.parseDuration(timeout)) : null;
        RegistryBinding.bindIfAbsent(context, "mediaSniffer", MediaSniffer.class, () -> new MediaSniffer(ffmpeg));
        RegistryBinding.bindIfAbsent(context, "mediaProber", MediaProber.class, () -> new MediaProber(ffmpeg));
        RegistryBinding.bindIfAbsent(context, "remuxer", Remuxer.class,
                () -> new Remuxer(Settings.parseDuration(timeout), java.nio.file.Path.of(dataDir).resolve("tmp")));
    }
}
