package io.mediaurlingest.media;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What probing found in a stored file, in ffprobe's terms and ICE's field names (values as
 * strings, as the SDK's FileBasicInfo and stream models have them). Kept as JSON on the media.
 */
public record ProbeResult(
        @JsonProperty("FormatName") String formatName,
        @JsonProperty("Duration") String duration,
        @JsonProperty("Bitrate") String bitrate,
        @JsonProperty("Width") String width,
        @JsonProperty("Height") String height,
        @JsonProperty("Fps") String fps,
        @JsonProperty("VideoStreamInfoList") List<VideoStream> videoStreams,
        @JsonProperty("AudioStreamInfoList") List<AudioStream> audioStreams,
        @JsonProperty("ProbedBy") String probedBy) {

    public record VideoStream(
            @JsonProperty("Index") String index,
            @JsonProperty("CodecName") String codecName,
            @JsonProperty("CodecLongName") String codecLongName,
            @JsonProperty("Profile") String profile,
            @JsonProperty("Width") String width,
            @JsonProperty("Height") String height,
            @JsonProperty("Fps") String fps,
            @JsonProperty("AvgFPS") String avgFps,
            @JsonProperty("PixFmt") String pixFmt,
            @JsonProperty("Bitrate") String bitrate,
            @JsonProperty("Duration") String duration,
            @JsonProperty("NumFrames") String numFrames) {
    }

    public record AudioStream(
            @JsonProperty("Index") String index,
            @JsonProperty("CodecName") String codecName,
            @JsonProperty("CodecLongName") String codecLongName,
            @JsonProperty("Profile") String profile,
            @JsonProperty("SampleRate") String sampleRate,
            @JsonProperty("Channels") String channels,
            @JsonProperty("ChannelLayout") String channelLayout,
            @JsonProperty("Bitrate") String bitrate,
            @JsonProperty("Duration") String duration) {
    }

    /** "video" when there is a picture, else "audio"; null when probing found no stream. */
    public String mediaType() {
        if (videoStreams != null && !videoStreams.isEmpty()) {
            return "video";
        }
        return audioStreams != null && !audioStreams.isEmpty() ? "audio" : null;
    }
}
