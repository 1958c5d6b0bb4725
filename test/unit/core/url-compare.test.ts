import { comparableUrl, parsedComparableUrl, sameUrl } from "../../../src/core/url-compare.js";

describe("comparing URLs as a normalizing server would store them", () => {
  test.each([
    ["a trailing slash", "https://a.example/x/", "https://a.example/x"],
    ["host case", "https://A.Example/x", "https://a.example/x"],
    ["the default port", "https://a.example:443/x", "https://a.example/x"],
    ["percent-encoding case", "https://a.example/%c3%a9", "https://a.example/%C3%A9"],
    ["a raw non-ASCII character", "https://a.example/é", "https://a.example/%C3%A9"],
    ["Unicode NFD against NFC", "https://a.example/e\u0301", "https://a.example/é"],
    ["an escaped unreserved character", "https://a.example/%7Ea", "https://a.example/~a"],
  ])("%s makes no difference", (_, a, b) => {
    expect(comparableUrl(a)).toBe(comparableUrl(b));
    expect(sameUrl(a, b)).toBe(true);
  });

  test.each([
    ["another path", "https://a.example/x", "https://a.example/y"],
    ["path case", "https://a.example/X", "https://a.example/x"],
    ["another port", "https://a.example:8443/x", "https://a.example/x"],
    ["an escaped slash", "https://a.example/a%2Fb", "https://a.example/a/b"],
    ["a query", "https://a.example/x?a=1", "https://a.example/x"],
  ])("%s still differs", (_, a, b) => {
    expect(sameUrl(a, b)).toBe(false);
  });

  test("a string that is no URL is compared as it is, in NFC", () => {
    expect(comparableUrl("not a url")).toBe("not a url");
    expect(sameUrl("e\u0301", "é")).toBe(true);
  });

  test.each([
    "https://a.example/x",
    "https://a.example/",
    "https://a.example",
    "https://a.example/x/",
    "https://a.example/a//b",
    "https://a.example/./x",
    "https://a.example/x/..",
    "https://a.example/x/../y",
    "https://a.example/.x",
    "https://a.example/..x",
    "https://A.example/x",
    "https://a.example:443/x",
    "https://a.example:8443/x",
    "https://user@a.example/x",
    "https://127.0.0.1/x",
    "https://a.123/x",
    "https://0x7f.example/x",
    "https://xn--nxasmq6b.example/x",
    "https://a.xn--p1ai/x",
    "https://a-.example/x",
    "https://a..example/x",
    "https://a.example./x",
    "https://a.example/x?q=1&b=2",
    "https://a.example/x?q=%41",
    "https://a.example/x?q=it's",
    'https://a.example/x?q=a"b',
    "https://a.example/x?a=b?c/d",
    "https://a.example/x?",
    "https://a.example/x#",
    "https://a.example/x#frag/?x",
    "https://a.example/x#a#b",
    "https://a.example/?x",
    "https://a.example?x",
    "https://a.example/a:b@c",
    "https://a.example/(x)*+,;=!$&~_-.",
    "https://a.example/x y",
    "https://a.example/x\\y",
    "https://a.example/x{y}",
    "https://a.example/x`y",
    "https://a.example/é",
    "http://a.example/x",
    "https://order.bistro.example.com/paris-0001?mode=takeout",
    "https://shop.example.com/stores/paris-0001/menu#1",
  ])("%s compares as the URL parser gives it, with or without the shortcut", (url) => {
    expect(comparableUrl(url)).toBe(parsedComparableUrl(url));
  });
});
