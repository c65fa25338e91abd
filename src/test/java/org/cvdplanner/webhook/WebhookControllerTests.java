package org.cvdplanner.webhook;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The webhook endpoints' error mapping, without the database (the store is a test double). */
@WebMvcTest(WebhookController.class)
class WebhookControllerTests {

    static final String PROBLEMS = "https://cvd-planner.org/problems/";

    @Autowired
    MockMvc mvc;
    @MockitoBean
    WebhookStore store;

    @Test
    void subscriptionsWithABadUrlOrEventTypeAre400sNamingTheField() throws Exception {
        mvc.perform(post("/api/v1/webhooks").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"url\": \"ftp://lims.example.org/hook\", \"eventTypes\": [\"job.succeeded\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEMS + "invalid-request"))
                .andExpect(jsonPath("$.field").value("url"));
        mvc.perform(post("/api/v1/webhooks").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"url\": \"https://lims.example.org/hook\", \"eventTypes\": [\"job.exploded\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("eventTypes"));
        mvc.perform(post("/api/v1/webhooks").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"url\": \"\", \"eventTypes\": [\"job.succeeded\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("url"));
        verify(store, never()).insertSubscription(any(), any(), any(), any(), any());
    }

    @Test
    void unknownSubscriptionsAndDeliveriesAre404sNamingThem() throws Exception {
        UUID id = UUID.randomUUID();
        given(store.subscription(id)).willReturn(Optional.empty());
        mvc.perform(get("/api/v1/webhooks/" + id))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "webhook-not-found"))
                .andExpect(jsonPath("$.webhookId").value(id.toString()));
        given(store.disable(id)).willReturn(false);
        mvc.perform(delete("/api/v1/webhooks/" + id))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.webhookId").value(id.toString()));
        given(store.redeliver(77L)).willReturn(false);
        mvc.perform(post("/api/v1/webhooks/deliveries/77/redeliver"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "webhook-delivery-not-found"))
                .andExpect(jsonPath("$.deliveryId").value(77));
    }

    @Test
    void anOutOfRangeLimitIsA400NamingIt() throws Exception {
        mvc.perform(get("/api/v1/webhooks/" + UUID.randomUUID() + "/deliveries?limit=0"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("limit"));
    }
}
