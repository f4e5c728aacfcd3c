// What a file's name adds to what its bytes say (DESIGN.md "File policy"): the name only ever makes a file
// stricter. Text bytes stay `text` only under a plain-text name; a name that an OS or Office acts on when the
// file is opened makes any file a `script`; any other name makes text `other`. An allow list, not a deny list:
// a handler nobody listed (.rdp, .library-ms and .theme once were) cannot turn text into a trap.

import type { FileKind } from "./kind";

/**
 * Extensions under which text bytes stay `text`, chosen from what visitors send to support, each one opened
 * by every common OS in a viewer that only shows it. Lower case, without the dot; "" is a name without one.
 * `xml` keeps text only for bytes that sniffed as plain XML (XML_EXTENSION). Left out on purpose: ini, cfg,
 * yaml (plain, but rarely asked for), html and svg (script table). Those are `other`, which the "all
 * files" preset allows.
 */
export const PLAIN_TEXT_EXTENSIONS: readonly string[] = [
  "txt", // notes and copied errors; Notepad, TextEdit and every Linux editor open it as text
  "log", // the logs support asks for; Windows opens .log in Notepad, macOS in Console
  // Exports of orders, contacts and statements. Excel opens it and evaluates formulas in its cells (OWASP
  // "CSV Injection"), but launching a program from one (DDE) goes through Excel's prompts, and a CSV
  // carries no macros or web queries, unlike .slk and .iqy in the script table.
  "csv",
  "md", // READMEs and notes; no OS acts on Markdown, editors show it as text
  "json", // API responses and exported settings; browsers' JSON viewers and editors show it as text
  "", // no extension: Windows asks which app to use; a download has no execute bit on macOS or Linux
];

/**
 * Extensions that make any file a script: the OS, Office or a browser acts on the file when it is opened
 * (runs it, or follows the locations in it, which leaks the agent's NTLM hash to an SMB or WebDAV server).
 * Binary bytes too: these handlers read loosely (an INI reader skips lines it does not understand), and a
 * polyglot, such as a GIF that is also valid JavaScript, does its harm under the name.
 * Lower case, without the dot; text under one of them takes it as its kind.
 * "Outlook's list" is Microsoft's "Blocked attachments in Outlook" (support.microsoft.com/office/434752e1).
 */
export const SCRIPT_EXTENSIONS: readonly string[] = [
  // Interpreters a double click starts.
  "bat",
  "cmd", // cmd.exe batch files (Outlook's list)
  "ps1",
  "psm1",
  "psd1",
  "ps1xml",
  "psc1",
  "ps2",
  "ps2xml",
  "psc2",
  "pssc",
  "cdxml", // PowerShell (Outlook's list)
  "msh",
  "msh1",
  "msh2",
  "mshxml",
  "msh1xml",
  "msh2xml", // Monad, PowerShell's old name (Outlook's list)
  "vbs",
  "vbe",
  "vb",
  "js",
  "jse",
  "wsf",
  "wsh",
  "ws",
  "wsc",
  "sct", // Windows Script Host (Outlook's list)
  "mjs", // JavaScript module: Node where Node is the .js handler
  "hta",
  "htc", // mshta HTML applications and components (Outlook's list)
  "sh",
  "bash",
  "zsh",
  "csh",
  "ksh", // Unix shells (csh and ksh are on Outlook's list)
  "command",
  "tool",
  "terminal", // macOS Terminal runs .command and .tool files, and a .terminal file's CommandString
  "desktop", // freedesktop.org Desktop Entry: the file manager runs its Exec= line
  "py",
  "pyw",
  "pyz",
  "pyzw",
  "pyc",
  "pyo", // Python: console, windowed (pythonw), zip apps, compiled (Outlook's list)
  "rb",
  "pl",
  "php", // Ruby, Perl, PHP where installed (pl is on Outlook's list)
  "com",
  "pif", // DOS .com programs have no header, some are printable ASCII (the EICAR test file is one)
  "scr", // a screen saver is a program (Outlook's list)
  "msc", // MMC console: GrimResource (Elastic, 2024) ran script from one (Outlook's list)
  "inf", // setup information: "Install" on its menu runs its sections (Outlook's list)
  "reg", // merged into the registry on a double click (Outlook's list)
  "lnk", // shell link: a command line and a remote icon (Outlook's list)
  // Shortcuts and places Explorer follows, and fetches icons for, when the file is opened or only shown.
  "url",
  "website", // Internet shortcut and pinned site: URL= and IconFile= (Outlook's list; ntlm_theft)
  "scf", // Explorer command file: [Shell] Command= and a remote IconFile= (Outlook's list; ntlm_theft)
  "library-ms", // library description: Explorer browses its <url>; CVE-2025-24054 leaked NTLM hashes from one
  "searchconnector-ms",
  "search-ms", // search connector and saved search: Explorer opens the location they name
  "settingcontent-ms",
  "appcontent-ms", // Settings shortcut whose DeepLink runs a command (SpecterOps, 2018; Outlook's list)
  "theme",
  "themepack",
  "deskthemepack", // Windows theme: remote Wallpaper and BrandImage (CVE-2024-21320), msstyles (CVE-2023-38146)
  "rdp", // Remote Desktop: connects to full address: with the agent's drives and clipboard (Midnight Blizzard, Microsoft, 2024)
  "udl", // Microsoft Data Link: a connection string that the data-source dialog opens (Outlook's list)
  "ins",
  "isp", // Internet connection settings (Outlook's list)
  "prf", // Outlook profile: sets the agent's mail server (Outlook's list)
  "wsb", // Windows Sandbox configuration: mapped folders and a LogonCommand (Outlook's list)
  "m3u",
  "asx",
  "wax", // Windows Media Player playlists: entries on a remote share (ntlm_theft)
  "inetloc",
  "fileloc",
  "webloc", // macOS location files: Finder opens the URL, file:// ones too (SSD Secure Disclosure, 2021)
  // Office opening text as something active.
  "iqy", // Excel web query: fetches a URL into the sheet, with any formulas in it (Necurs spam, 2018)
  "slk", // SYLK: Excel runs its Excel 4.0 macro formulas (Outflank, "Abusing the SYLK file format", 2019)
  // Deployment manifests that install and start a program.
  "application",
  "appref-ms",
  "xbap", // ClickOnce manifest, application reference, browser app (Outlook's list)
  "appinstaller", // App Installer: fetches and installs the package it names
  "jnlp", // Java Web Start (Outlook's list)
  // Pages a browser renders from disk, where script runs: HTML, SVG, XHTML, XSLT, MHTML, server-side includes.
  "html",
  "htm",
  "shtml",
  "xhtml",
  "xht",
  "svg",
  "svgz",
  "xsl",
  "xslt",
  "mht",
  "mhtml",
];

const PLAIN_TEXT: ReadonlySet<string> = new Set(PLAIN_TEXT_EXTENSIONS);
/**
 * Plain XML (markup.ts) stays text as `.xml`: Windows opens such a file in a browser's XML view. Other text
 * does not: XML that asks for Word by `<?mso-application?>` (kind `office-xml`), which loads the remote
 * pictures and stylesheets it names (ntlm_theft's .xml), and text without a declaration, which may carry
 * that instruction anywhere.
 */
const XML_EXTENSION = "xml";
const SCRIPTS: ReadonlySet<string> = new Set(SCRIPT_EXTENSIONS);

/**
 * A name's extension as the OS reads it: lower case, without the dot, "" when there is none. Windows drops
 * trailing dots and spaces when saving, so "run.ps1. " opens as "run.ps1".
 * @example extensionOf("Report.Library-MS") // "library-ms"
 */
export function extensionOf(name: string): string {
  let end = name.length;
  while (end > 0 && (name[end - 1] === "." || name[end - 1] === " ")) end--;
  const trimmed = name.slice(0, end).toLowerCase();
  const dot = trimmed.lastIndexOf(".");
  return dot < 0 ? "" : trimmed.slice(dot + 1);
}

/**
 * Programs a double click installs or runs (Windows, macOS, Linux packages, Java, Android). Their kind comes
 * from their bytes (magic.ts); a name is all the widget reads of an archive's entries before uploading it.
 */
const PROGRAM_EXTENSIONS: ReadonlySet<string> = new Set([
  "exe",
  "dll",
  "msi",
  "msp",
  "com",
  "cpl",
  "jar",
  "apk",
  "app",
  "dmg",
  "pkg",
  "deb",
  "rpm",
]);

/**
 * What a name alone says a file is: a script or a program by its extension, else null (only the bytes can
 * tell). For a look at names where no bytes are at hand, such as the entries of a ZIP the widget has not sent.
 * @example categoryByName("tools/setup.exe") // "executable"
 */
export function categoryByName(name: string): "script" | "executable" | null {
  const extension = extensionOf(name);
  if (SCRIPTS.has(extension)) return "script";
  return PROGRAM_EXTENSIONS.has(extension) ? "executable" : null;
}

/**
 * What the bytes said, made stricter by the name: a script extension makes anything a script (text then takes
 * the extension as its kind), and text under any name but a plain-text one is `other`. Markup whose bytes
 * make it a script (HTML, SVG, XML with a stylesheet) is a script whatever its name; plain XML is text.
 * @example const text: FileKind = { kind: "text", mime: "text/plain", category: "text" };
 * stricterByName(text, "notes.txt") // text
 * stricterByName(text, "access.rdp") // { kind: "rdp", mime: "text/plain", category: "script" }
 * stricterByName(text, "setup.ini") // { kind: "text", mime: "text/plain", category: "other" }
 */
export function stricterByName(found: FileKind, name: string): FileKind {
  const extension = extensionOf(name);
  if (SCRIPTS.has(extension)) {
    return found.category === "text"
      ? { kind: extension, mime: found.mime, category: "script" }
      : { ...found, category: "script" };
  }
  const plainName = PLAIN_TEXT.has(extension) || (extension === XML_EXTENSION && found.kind === "xml");
  if (found.category === "text" && !plainName) return { ...found, category: "other" };
  return found;
}
