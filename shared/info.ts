/** GET /api/info: what any client may know about the server it talks to (docs/API.md). */
export interface ServerInfo {
  /** Base URL phones and tablets on the venue network open (PUBLIC_URL, else the LAN address), no trailing slash. */
  publicUrl: string;
  /** True on a venue node (docs/VENUES.md): its pages then read GET /api/venue/status. */
  venueNode: boolean;
}
