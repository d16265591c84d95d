package org.wardfleet.identity.internal;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/** {@code /api/v1/me} for everyone; user administration for {@code ADMIN}, inside the caller's organisation. */
@RestController
@RequestMapping("/api/v1")
class UserController {

    private final UserRepository users;
    private final UserAccounts administration;
    private final PasswordChange passwordChange;

    UserController(UserRepository users, UserAccounts administration, PasswordChange passwordChange) {
        this.users = users;
        this.administration = administration;
        this.passwordChange = passwordChange;
    }

    record NewUser(@NotBlank @Email @Size(max = 254) String email, @NotBlank @Size(max = 200) String displayName,
            @NotEmpty @Size(max = 4) Set<@NotNull Role> roles, @NotBlank @Size(max = 1024) String password) {

        @Override
        public String toString() {
            return "NewUser[email=" + email + ", roles=" + roles + ", password=***]";
        }
    }

    record NewPassword(@NotBlank @Size(max = 1024) String password) {

        @Override
        public String toString() {
            return "NewPassword[***]";
        }
    }

    record PasswordChangeBody(@NotBlank @Size(max = 1024) String currentPassword,
            @NotBlank @Size(max = 1024) String newPassword) {

        @Override
        public String toString() {
            return "PasswordChangeBody[***]";
        }
    }

    record NewRoles(@NotEmpty @Size(max = 4) Set<@NotNull Role> roles) {
    }

    record UserView(String id, String orgId, String email, String displayName, Set<Role> roles, boolean disabled,
            Instant createdAt) {

        static UserView of(StoredUser u) {
            return new UserView(u.id(), u.orgId(), u.email(), u.displayName(), u.roles(), u.disabled(),
                    u.createdAt());
        }
    }

    record UserPage(List<UserView> items, int page, int size, long total) {
    }

    @Operation(summary = "Who am I: the signed-in user")
    @GetMapping("/me")
    Mono<UserView> me(Caller caller) {
        return users.find(caller.orgId(), caller.userId()).map(UserView::of)
                .switchIfEmpty(Mono.error(() -> UserAdministration.notFound(caller.userId())));
    }

    /**
     * The caller's own password, proving the current one: ends every other session and token of theirs; the answer is
     * a new token for this one.
     */
    @Operation(summary = "Change your own password (ends your other sessions)")
    @Problems({"400 current-password-wrong", "400 weak-password", "409 conflict", "429 rate-limited"})
    @PostMapping("/me/password")
    Mono<AuthController.TokenResponse> changeOwnPassword(Caller caller, @Valid @RequestBody PasswordChangeBody body) {
        return passwordChange.change(caller, body.currentPassword(), body.newPassword())
                .map(AuthController.TokenResponse::bearer);
    }

    @Operation(summary = "Create a user (ADMIN)")
    @ApiResponse(responseCode = "201", description = "The new user")
    @Problems({"403 forbidden", "400 weak-password", "409 email-taken"})
    @PostMapping("/users")
    Mono<ResponseEntity<UserView>> create(Caller caller, @Valid @RequestBody NewUser body) {
        caller.requireAny(Role.ADMIN);
        return administration.create(caller.orgId(), Actor.user(caller.userId()), body.email(), body.displayName(),
                        body.roles(), body.password())
                .map(u -> ResponseEntity.created(URI.create("/api/v1/users/" + u.id())).body(UserView.of(u)));
    }

    @Operation(summary = "List users, paged (ADMIN)")
    @Problems({"403 forbidden"})
    @GetMapping("/users")
    Mono<UserPage> list(Caller caller, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        caller.requireAny(Role.ADMIN);
        if (page < 0 || size < 1 || size > 200) {
            throw ProblemType.VALIDATION_FAILED.exception("page must be >= 0 and size 1..200");
        }
        return users.list(caller.orgId(), page, size).map(UserView::of).collectList()
                .zipWith(users.count(caller.orgId()))
                .map(t -> new UserPage(t.getT1(), page, size, t.getT2()));
    }

    @Operation(summary = "A user (ADMIN)")
    @Problems({"403 forbidden"})
    @GetMapping("/users/{id}")
    Mono<UserView> get(Caller caller, @PathVariable String id) {
        caller.requireAny(Role.ADMIN);
        return users.find(caller.orgId(), id).map(UserView::of)
                .switchIfEmpty(Mono.error(() -> UserAdministration.notFound(id)));
    }

    @Operation(summary = "Disable a user: their tokens stop working at once (ADMIN)")
    @Problems({"403 forbidden", "409 cannot-disable-self"})
    @PostMapping("/users/{id}/disable")
    Mono<UserView> disable(Caller caller, @PathVariable String id) {
        caller.requireAny(Role.ADMIN);
        return administration.setDisabled(caller, id, true).map(UserView::of);
    }

    @Operation(summary = "Enable a user again (ADMIN)")
    @Problems({"403 forbidden"})
    @PostMapping("/users/{id}/enable")
    Mono<UserView> enable(Caller caller, @PathVariable String id) {
        caller.requireAny(Role.ADMIN);
        return administration.setDisabled(caller, id, false).map(UserView::of);
    }

    /** Replaces the user's roles (e.g. grants INCIDENT_LEAD); takes effect on their next request. */
    @Operation(summary = "Replace a user's account roles (ADMIN)")
    @Problems({"403 forbidden", "409 cannot-demote-self"})
    @PutMapping("/users/{id}/roles")
    Mono<UserView> setRoles(Caller caller, @PathVariable String id, @Valid @RequestBody NewRoles body) {
        caller.requireAny(Role.ADMIN);
        return administration.setRoles(caller, id, body.roles()).map(change -> UserView.of(change.user()));
    }

    @Operation(summary = "Reset a user's password: ends their tokens (ADMIN)")
    @ApiResponse(responseCode = "204", description = "Reset")
    @Problems({"403 forbidden", "400 weak-password"})
    @PostMapping("/users/{id}/password")
    Mono<ResponseEntity<Void>> resetPassword(Caller caller, @PathVariable String id,
            @Valid @RequestBody NewPassword body) {
        caller.requireAny(Role.ADMIN);
        return administration.resetPassword(caller, id, body.password())
                .thenReturn(ResponseEntity.noContent().build());
    }
}
