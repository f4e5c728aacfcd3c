// Card numbers are masked to their last four before a message is stored: how people write them
// (spaces, dashes, run together, with the security code after), and what is no card (fails Luhn,
// too short or long, a phone number, an order number).
import { describe, expect, it } from "vitest";
import { maskCards } from "../../../server/screening/cards";

describe("maskCards", () => {
  it.each([
    ["a Visa test number run together", "my card 4242424242424242 thanks", "my card •••• 4242 thanks"],
    ["in groups of four with spaces", "4111 1111 1111 1111", "•••• 1111"],
    ["with dashes", "5555-5555-5555-4444 exp 12/29", "•••• 4444 exp 12/29"],
    ["an Amex 4-6-5", "3782 822463 10005", "•••• 0005"],
    ["a 13-digit Visa", "4222222222222", "•••• 2222"],
    ["a 19-digit card", "6011 0009 9013 9424 009", "•••• 4009"],
    ["with its security code written after", "4242 4242 4242 4242 123", "•••• 4242 123"],
    ["two cards in one message", "4242424242424242 or 5555555555554444", "•••• 4242 or •••• 4444"],
    ["in full-width digits", "４２４２４２４２４２４２４２４２", "•••• ４２４２"],
    ["in Arabic-Indic digits", "٤١١١ ١١١١ ١١١١ ١١١١", "•••• ١١١١"],
    ["in mathematical digits", "𝟒𝟐𝟒𝟐𝟒𝟐𝟒𝟐𝟒𝟐𝟒𝟐𝟒𝟐𝟒𝟐", "•••• 𝟒𝟐𝟒𝟐"],
    ["with no-break spaces", "4111\u00a01111\u00a01111\u00a01111", "•••• 1111"],
    ["with thin spaces", "4111\u20091111\u20091111\u20091111", "•••• 1111"],
    ["with non-breaking hyphens", "4111\u20111111\u20111111\u20111111", "•••• 1111"],
    ["with zero-width spaces", "4111\u200b1111\u200b1111\u200b1111", "•••• 1111"],
    ["with soft hyphens beside spaces", "4111\u00ad 1111 \u00ad1111 1111", "•••• 1111"],
    [
      "whole, after a phone number whose digits pass with its first groups",
      "call +1 555 000 00 4111 1111 1111 1111",
      "call +•••• 1111",
    ],
  ])("masks %s", (_name, text, masked) => {
    expect(maskCards(text)).toBe(masked);
  });

  it.each([
    ["a number failing Luhn", "4242424242424241"],
    ["too short", "424242424242"],
    ["a phone number", "+44 20 7946 0958"],
    ["an order number", "order 2026120600123"],
    ["twenty digits", "12345678901234567890"],
    ["digits with two spaces between", "4242  4242  4242  4242"],
    ["two phone numbers in cells pasted from a sheet", "555-123-4567\t555-987-6543"],
    ["a range of order numbers", "#10023460–10098765"],
    ["no digits", "hello there"],
  ])("leaves %s alone", (_name, text) => {
    expect(maskCards(text)).toBe(text);
  });
});
