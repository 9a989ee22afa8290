package com.registryservice.events;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the live event stream {@code GET /events} (prefix {@code registry.events}); listed in the README. */
@ConfigMapping(prefix = "registry.events")
public interface EventsConfig {

    /** How long events are kept for clients that reconnect with Last-Event-ID. */
    @WithDefault("24h")
    Duration retention();

    /** How many events may wait for one slow client before it is dropped (with a final event). */
    @WithDefault("1000")
    int subscriberBuffer();

    /**
     * How often the feed looks for events without being notified: NOTIFY wakes it at once, this catches events
     * whose transaction finished after an older one still running was notified.
     */
    @WithDefault("1s")
    Duration pollInterval();

    /** How often a quiet stream gets an SSE comment, so that proxies do not close it as idle. */
    @WithDefault("15s")
    Duration heartbeatInterval();

    /** Event streams one instance serves at once (each holds a connection); one more is answered 429. */
    @WithDefault("1000")
    int maxStreams();

    /** Event streams one user may hold open on one instance at once; one more is answered 429. */
    @WithDefault("10")
    int maxStreamsPerUser();
}
