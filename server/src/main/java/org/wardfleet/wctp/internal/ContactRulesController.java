package org.wardfleet.wctp.internal;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import reactor.core.publisher.Mono;

/** A user's contact rules: their fallback pager and how long the app gets first (ADMIN, or the user themself). */
@RestController
class ContactRulesController {

    private final UserContactRules rules;

    ContactRulesController(UserContactRules rules) {
        this.rules = rules;
    }

    record Body(@Pattern(regexp = "[0-9]{3,20}") String pager, Map<String, Integer> fallbackAfterSeconds) {
    }

    @Operation(summary = "Set a user's fallback pager and timings (ADMIN or the user)")
    @Problems({"403 forbidden"})
    @PutMapping("/api/v1/users/{id}/contact-rules")
    Mono<ContactRules.Rule> put(Caller caller, @PathVariable String id, @Valid @RequestBody Body body) {
        return rules.set(caller, id, body.pager(), body.fallbackAfterSeconds());
    }

    @Operation(summary = "A user's fallback pager and timings (ADMIN or the user)")
    @Problems({"403 forbidden"})
    @GetMapping("/api/v1/users/{id}/contact-rules")
    Mono<ContactRules.Rule> get(Caller caller, @PathVariable String id) {
        return rules.find(caller, id);
    }
}
