package org.cvdplanner.proposal.plot;

import java.util.List;
import java.util.UUID;

import org.cvdplanner.proposal.ProposalView;
import org.cvdplanner.proposal.Proposals;
import org.cvdplanner.proposal.ValidationView;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/proposals/{id}/plot.png|svg}: one figure per proposal, for attachments. */
@RestController
class ProposalPlotController {

    static final MediaType SVG = MediaType.parseMediaType("image/svg+xml");

    private final Proposals proposals;

    ProposalPlotController(Proposals proposals) {
        this.proposals = proposals;
    }

    @GetMapping(path = "/api/v1/proposals/{id}/plot.png", produces = MediaType.IMAGE_PNG_VALUE)
    ResponseEntity<byte[]> png(@PathVariable UUID id, @RequestParam(defaultValue = "900") int width,
            @RequestParam(defaultValue = "700") int height) {
        ProposalFigure figure = figure(id, width, height);
        return ok(id, "png", MediaType.IMAGE_PNG, figure.png());
    }

    @GetMapping(path = "/api/v1/proposals/{id}/plot.svg", produces = "image/svg+xml")
    ResponseEntity<byte[]> svg(@PathVariable UUID id, @RequestParam(defaultValue = "900") int width,
            @RequestParam(defaultValue = "700") int height) {
        ProposalFigure figure = figure(id, width, height);
        return ok(id, "svg", SVG, figure.svg());
    }

    private ProposalFigure figure(UUID id, int width, int height) {
        ProposalFigure.checkSize("width", width);
        ProposalFigure.checkSize("height", height);
        ProposalView proposal = proposals.get(id);
        List<ValidationView> validations = proposals.validations(id);
        ValidationView latest = validations.isEmpty() ? null : validations.get(validations.size() - 1);
        return new ProposalFigure(proposal, latest, width, height);
    }

    private static ResponseEntity<byte[]> ok(UUID id, String extension, MediaType type, byte[] body) {
        // a proposal never changes once stored, but a validation may be added: revalidate
        return ResponseEntity.ok().contentType(type).cacheControl(CacheControl.noCache())
                .header("Content-Disposition", "inline; filename=\"proposal-" + id + "." + extension + "\"")
                .body(body);
    }
}
