// @vitest-environment happy-dom
// The avatar pickers: the team's (uploaded, then named in the Live Chat Window's draft until saved)
// and the user's own in Options (saved and removed at once), each with a round preview, and the
// server's refusal said beside the field.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { AvatarField, MyAvatarField } from "../../console/AvatarField";
import { readFixture } from "../fixtures/read";
import { api, apiError, seen, server, url, useMockServer } from "./setup";

useMockServer();

const PNG = new File([readFixture("fixture.png")], "me.png", { type: "image/png" });
const SVG = new File([readFixture("fixture.svg")], "logo.svg", { type: "image/svg+xml" });
const NOT_AN_AVATAR = "An avatar is a PNG, JPEG, GIF or WebP image.";

/** The picker's preview image, if one is shown. */
const preview = () => document.querySelector<HTMLImageElement>("img.avatar-preview");

function choose(label: string, file: File) {
  fireEvent.change(screen.getByLabelText(label), { target: { files: [file] } });
}

/** Records each upload's body and method, answering with `fileId`. */
function acceptUploads(path: string, method: "post" | "put", fileId: string) {
  const bodies: number[] = [];
  server.use(
    http[method](url(path), async ({ request }) => {
      bodies.push((await request.arrayBuffer()).byteLength);
      return HttpResponse.json({ fileId }, { status: method === "post" ? 201 : 200 });
    }),
  );
  return bodies;
}

describe("the team avatar picker", () => {
  function renderTeam(value: string | null = null) {
    const onChange = vi.fn();
    render(
      <AvatarField
        id="team-avatar"
        heading="Team avatar"
        hint="Beside the team's name."
        value={value}
        src={(fileId) => api.avatarUrl("acme", fileId)}
        upload={api.uploadTeamAvatar}
        onChange={onChange}
      />,
    );
    return onChange;
  }

  it("uploads the chosen image's bytes and hands its file id to the draft", async () => {
    const bodies = acceptUploads("/avatar", "post", "file_new0123456789ab");
    const onChange = renderTeam();
    expect(preview()).toBeNull();
    choose("Choose an image", PNG);
    await waitFor(() => expect(onChange).toHaveBeenCalledWith("file_new0123456789ab"));
    expect(bodies).toEqual([PNG.size]);
  });

  it("shows the saved avatar from the public route, and Remove clears it", () => {
    const onChange = renderTeam("file_old0123456789ab");
    expect(preview()?.getAttribute("src")).toBe("/api/v1/widget/acme/avatars/file_old0123456789ab");
    fireEvent.click(screen.getByRole("button", { name: "Remove" }));
    expect(onChange).toHaveBeenCalledWith(null);
  });

  it("says why the server refused the image, changing nothing", async () => {
    server.use(
      http.post(url("/avatar"), () =>
        HttpResponse.json(apiError("file_type", NOT_AN_AVATAR, { kind: "svg", category: "script" }), { status: 415 }),
      ),
    );
    const onChange = renderTeam();
    choose("Choose an image", SVG);
    expect(await screen.findByText(NOT_AN_AVATAR)).toBeTruthy();
    expect(onChange).not.toHaveBeenCalled();
    expect(preview()).toBeNull();
  });
});

describe("your own avatar in Options", () => {
  it("shows the one saved, replaces it at once, and removes it", async () => {
    server.use(http.get(url("/me/avatar"), () => HttpResponse.json({ fileId: "file_old0123456789ab" })));
    server.use(http.delete(url("/me/avatar"), () => new HttpResponse(null, { status: 204 })));
    const bodies = acceptUploads("/me/avatar", "put", "file_new0123456789ab");
    render(<MyAvatarField api={api} account="acme" />);
    await waitFor(() =>
      expect(preview()?.getAttribute("src")).toBe("/api/v1/widget/acme/avatars/file_old0123456789ab"),
    );
    choose("Choose an image", PNG);
    // The new image is shown from this browser the moment it is saved.
    await waitFor(() => expect(preview()?.getAttribute("src")).toMatch(/^blob:/));
    expect(bodies).toEqual([PNG.size]);
    fireEvent.click(screen.getByRole("button", { name: "Remove" }));
    await waitFor(() => expect(preview()).toBeNull());
    expect(seen).toEqual([
      "GET /api/v1/console/me/avatar",
      "PUT /api/v1/console/me/avatar",
      "DELETE /api/v1/console/me/avatar",
    ]);
  });
});
