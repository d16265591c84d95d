package org.wardfleet.oncall.internal;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.oncall.PageHistory;
import org.wardfleet.platform.security.Caller;

import io.swagger.v3.oas.annotations.Operation;
import reactor.core.publisher.Mono;

/**
 * Pages, newest first, metadata only (a page's text lives in its message, never here). {@code ADMIN} and
 * {@code SECURITY} see every page of their organisation; anyone else the pages they sent and those addressed to them
 * by name (pages that reached them through a role or a step are in their messages). The rules: {@link PageHistory}.
 */
@RestController
class PageListController {

    private final PageHistory history;

    PageListController(PageHistory history) {
        this.history = history;
    }

    @Operation(summary = "List pages, newest first, filtered (metadata only)")
    @GetMapping("/api/v1/pages")
    Mono<PageHistory.PageList> list(Caller caller, @RequestParam(required = false) String state,
            @RequestParam(required = false) String priority, @RequestParam(required = false) String senderId,
            @RequestParam(required = false) String roleId, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return history.list(caller, new PageHistory.Filter(state, priority, senderId, roleId), page, size);
    }
}
