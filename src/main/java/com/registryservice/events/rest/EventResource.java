package com.registryservice.events.rest;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.registryservice.api.Params;
import com.registryservice.events.Event;
import com.registryservice.events.service.EventFeed;
import com.registryservice.events.service.EventIds;
import com.registryservice.security.Actor;
import com.registryservice.security.RegistryPermissionCheckers;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;

/** The live event stream: changes of the caller's registries and their GC runs, as Server-Sent Events. */
@Path("/events")
@Tag(name = "Events", description = "Live changes of registries and GC runs")
public class EventResource {

    /** One event as its {@code data:} line carries it; written by hand, so registered for native images. */
    @Schema(name = "Event")
    @RegisterForReflection
    public record EventMessage(@Schema(description = "Absent on stream.dropped and stream.gap") String id,
            @Schema(examples = "registry.state-changed") String type, Instant time, UUID registryId,
            @Schema(implementation = Object.class) @JsonRawValue String data) {
    }

    private final EventFeed feed;
    private final EventIds ids;
    private final SecurityIdentity identity;
    private final HttpHeaders headers;
    private final ObjectMapper json;

    public EventResource(EventFeed feed, EventIds ids, SecurityIdentity identity, HttpHeaders headers,
            ObjectMapper json) {
        this.feed = feed;
        this.ids = ids;
        this.json = json;
        this.identity = identity;
        this.headers = headers;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @PermissionsAllowed(RegistryPermissionCheckers.LIST)
    @Operation(operationId = "eventsGet", summary = "Stream the changes of your registries",
            description = "Server-Sent Events of the registries the caller may list: registry.created, registry.updated,"
                    + " registry.deleted, registry.state-changed, gc.run.queued, gc.run.started, gc.run.finished. Each"
                    + " has an id (opaque, only valid for the caller's contract); reconnect with Last-Event-ID to"
                    + " receive what was missed (kept 24 h). A client that reads too slowly gets stream.dropped and"
                    + " the stream ends; a Last-Event-ID the log no longer holds, or that this stream never sent,"
                    + " gets stream.gap first.")
    @APIResponse(responseCode = "429", description = "The user, or this instance, has as many streams open as allowed")
    @APIResponse(responseCode = "200", description = "The stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(implementation = EventMessage.class)))
    @Parameter(name = "Last-Event-ID", in = ParameterIn.HEADER,
            description = "The id of the last event received: the stream starts with the events after it")
    public Multi<OutboundSseEvent> stream(@Context Sse sse) {
        // read now: the stream's callbacks run on the feed's own context, outside this request's scope
        // (context propagation is off: README, code map)
        Actor actor = Actor.of(identity);
        Optional<String> lastEventId = Params.lastEventId(headers.getHeaderString("Last-Event-ID"));
        Runnable leave = feed.admit(actor.name());
        return ids.of(actor.contract()).onItem().transformToMulti(codec -> feed.subscribe(actor.contract(),
                actor.managedLocations(), lastEventId.map(text -> codec.id(text).orElse(EventFeed.NOT_SENT)))
                .map(event -> toSse(sse, event, codec)))
                .onTermination().invoke(leave);
    }

    private OutboundSseEvent toSse(Sse sse, Event event, EventIds.Codec codec) {
        if (Event.HEARTBEAT.equals(event.type())) {
            return sse.newEventBuilder().comment("heartbeat").build();
        }
        String id = event.position() == null ? null : codec.text(event.id());
        EventMessage message = new EventMessage(id, event.type(), event.createdAt(),
                event.registryId(), event.data());
        try {
            // JSON text as the data line; no content-type field on every event
            OutboundSseEvent.Builder builder = sse.newEventBuilder().name(event.type())
                    .data(json.writeValueAsString(message));
            return (id == null ? builder : builder.id(id)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write event " + id, e);
        }
    }
}
