/** The README's curl example of the emulator's write API, sent the same way with fetch. */
import { startTestEmulator, type TestEmulator } from "../helpers/emulator.js";

interface LinksBody {
  place_action_links: { gmb_id: string; urls: { value: string }[] }[];
}

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator({ apiKey: undefined });
});
afterAll(() => emu.close());

test("the README's GET and POST of place_action_links work as documented", async () => {
  const links = `${emu.baseUrl}/business/c-paris-01/place_action_links`;
  const before = (await (
    await fetch(links, { headers: { "x-APIKey": "anything" } })
  ).json()) as LinksBody;
  const types = (body: LinksBody) => body.place_action_links.map((type) => type.gmb_id).sort();
  expect(types(before)).toContain("SHOP_ONLINE");
  const posted = await fetch(links, {
    method: "POST",
    headers: { "x-APIKey": "anything", "Content-Type": "application/json" },
    body: '[{"gmb_id":"SHOP_ONLINE","urls":[{"value":"https://shop.example.com/paris-01","is_preferred":true}]}]',
  });
  expect(posted.status).toBe(200);
  expect(await posted.json()).toEqual({ status: "success" });
  const after = (await (
    await fetch(links, { headers: { "x-APIKey": "anything" } })
  ).json()) as LinksBody;
  expect(types(after)).toEqual(types(before));
  const shop = after.place_action_links.find(
    (type: { gmb_id: string }) => type.gmb_id === "SHOP_ONLINE",
  );
  expect(shop?.urls.map((url: { value: string }) => url.value)).toEqual([
    "https://shop.example.com/paris-01",
  ]);
  const noType = await fetch(links, {
    method: "POST",
    headers: { "x-APIKey": "anything" },
    body: "[]",
  });
  expect(noType.status).toBe(415);
});
