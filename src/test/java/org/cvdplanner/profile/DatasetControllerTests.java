package org.cvdplanner.profile;

import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The HTTP contract of datasets, without the database (the service is a test double here). */
@WebMvcTest(DatasetController.class)
class DatasetControllerTests {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    DatasetService service;

    @Test
    void createAnswers201WithLocation() throws Exception {
        given(service.create("runs", null, "UPLOAD", 20, null))
                .willReturn(new DatasetSummary(7, "runs", null, "UPLOAD", 20, 0, null, Instant.EPOCH, null));
        mvc.perform(post("/api/v1/datasets").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"runs\"}"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/v1/datasets/7"))
                .andExpect(jsonPath("$.stepCount").value(20));
    }

    @Test
    void invalidRequestsAreProblemDetailsNamingTheField() throws Exception {
        mvc.perform(post("/api/v1/datasets").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"\",\"stepCount\":1}"))
                .andExpect(status().isBadRequest())
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(jsonPath("$.errors.length()").value(2));
        mvc.perform(post("/api/v1/datasets").contentType(MediaType.APPLICATION_JSON).content("{\"name\":"))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/api/v1/datasets/not-a-number"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("id"));
        mvc.perform(get("/api/v1/datasets?limit=0"))
                .andExpect(status().isBadRequest());
    }

    @Test
    void unknownDatasetIs404() throws Exception {
        given(service.get(5)).willThrow(new DatasetNotFoundException(5));
        mvc.perform(get("/api/v1/datasets/5"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.datasetId").value(5));
    }
}
