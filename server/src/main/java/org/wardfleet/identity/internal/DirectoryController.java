package org.wardfleet.identity.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.PageRequest;
import org.wardfleet.platform.web.ProblemType;

import io.swagger.v3.oas.annotations.Operation;
import reactor.core.publisher.Mono;

/**
 * The staff directory behind every picker (a conversation's participants, a rota, a page's target): active people of
 * the caller's organisation by name or email, ids with display names. Any signed-in user may search it; it holds no
 * more than a hospital's internal phone list (name, work email, account roles).
 */
@RestController
class DirectoryController {

    /** A picker shows a handful; a page of 50 is plenty and keeps a search cheap. */
    static final int MAX_SIZE = 50;
    static final int MAX_QUERY = 100;

    private final UserRepository users;

    DirectoryController(UserRepository users) {
        this.users = users;
    }

    record Person(String id, String displayName, String email, Set<Role> roles) {
    }

    record DirectoryPage(List<Person> items, int page, int size, long total) {
    }

    @Operation(summary = "Search the staff directory (for pickers)")
    @GetMapping("/api/v1/directory")
    Mono<DirectoryPage> search(Caller caller, @RequestParam(required = false) String q,
            @RequestParam(required = false) String role, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        PageRequest request = PageRequest.of(page, size, MAX_SIZE);
        if (q != null && q.length() > MAX_QUERY) {
            throw ProblemType.VALIDATION_FAILED.exception("q is at most %d characters", MAX_QUERY);
        }
        String roleName = PageRequest.oneOf("role", role, Arrays.stream(Role.values()).map(Role::name).toList());
        Role wanted = roleName == null ? null : Role.valueOf(roleName);
        return users.search(caller.orgId(), q, wanted, request.page(), request.size())
                .map(u -> new Person(u.id(), u.displayName(), u.email(), u.roles()))
                .collectList()
                .zipWith(users.countSearch(caller.orgId(), q, wanted))
                .map(t -> new DirectoryPage(t.getT1(), page, size, t.getT2()));
    }
}
