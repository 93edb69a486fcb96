"""The review round's mails: invitation and reminder, German or English, sent over SMTP.

A mail names the edition, the deadline and one link per city of the recipient (a personal
one-time link to set a password, when the recipient has none yet, comes first). Mails go
through a real SMTP server (settings ``smtp_*``; docs/settings.md); ``render`` gives the text
that ``--dry-run`` prints. A server that cannot be reached, refuses the login or refuses a
recipient gives one line naming the server — never the password.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Iterator

from cityindex.review.errors import MailError
from cityindex.review.texts import long_date
from cityindex.settings import Settings

KINDS = ("invitation", "reminder")


@dataclass(frozen=True)
class Recipient:
    """Who gets a mail: a city's reviewer, the cities (AGS) they check, and their language."""

    email: str
    cities: tuple[str, ...]
    lang: str = "de"
    name: str | None = None
    #: A personal one-time link (e.g. to set a password) that the mail shows first; None: none.
    access_link: str | None = None


@dataclass(frozen=True)
class Mail:
    recipient: Recipient
    message: EmailMessage = field(compare=False)

    def render(self) -> str:
        """The whole mail as text (headers and body), as ``--dry-run`` prints it."""
        return self.message.as_string()


def review_url(base_url: str, edition: str, ags: str) -> str:
    """The city's review page of the edition on the website: ``/pruefung/<city slug>/<edition>``."""
    from cityindex.cities import load_register

    return f"{base_url.rstrip('/')}/pruefung/{load_register().get(ags).slug}/{edition}"


SUBJECTS = {
    ("invitation", "de"): "{title}: Bitte prüfen Sie Ihre Daten bis zum {deadline}",
    ("invitation", "en"): "{title}: please check your data by {deadline}",
    ("reminder", "de"): "Erinnerung – {title}: Datenprüfung bis zum {deadline}",
    ("reminder", "en"): "Reminder – {title}: data review due {deadline}",
}
OPENINGS = {
    ("invitation", "de"): "die Daten Ihrer Stadt für „{title}“ liegen zur Prüfung bereit. Bitte prüfen Sie bis "
                          "zum {deadline} jeden Wert: bestätigen Sie ihn, oder schlagen Sie eine Korrektur mit "
                          "Nachweis (Link oder Datei) vor. Schließen Sie die Prüfung zum Schluss mit „Prüfung "
                          "abschließen“ ab.",
    ("invitation", "en"): "your city's data for “{title}” is ready for review. Please check every value by "
                          "{deadline}: confirm it, or propose a correction with evidence (a link or a file). When "
                          "you are done, submit the review with “Submit review”.",
    ("reminder", "de"): "die Prüfung Ihrer Daten für „{title}“ ist noch nicht abgeschlossen. Die Frist endet am "
                        "{deadline}; bitte prüfen Sie die übrigen Werte und schließen Sie die Prüfung ab.",
    ("reminder", "en"): "the review of your data for “{title}” has not been submitted yet. The deadline is "
                        "{deadline}; please check the remaining values and submit the review.",
}
TEXTS = {
    "de": {"hello": "Guten Tag", "access": "Ihr persönlicher Zugang (einmalig gültig; dort legen Sie Ihr "
                                           "Passwort fest):", "pages": "Zur Prüfung:",
           "deadline": "Frist", "bye": "Mit freundlichen Grüßen\nIhr Team des Smart City Index",
           "why": "Sie erhalten diese Nachricht, weil Sie als Ansprechperson Ihrer Stadt für den Smart City "
                  "Index eingetragen sind."},
    "en": {"hello": "Hello", "access": "Your personal access (valid once; set your password there):",
           "pages": "To the review:", "deadline": "Deadline",
           "bye": "Kind regards\nThe Smart City Index team",
           "why": "You receive this message because you are registered as your city's contact for the Smart "
                  "City Index."},
}


def compose(kind: str, recipient: Recipient, *, edition: str, title: str, deadline, city_names: dict[str, str],
            settings: Settings) -> Mail:
    """One invitation or reminder for one recipient, in the recipient's language."""
    lang = "en" if recipient.lang == "en" else "de"
    words = {"title": title, "deadline": long_date(deadline, lang)}
    t = TEXTS[lang]
    lines = [f"{t['hello']}{' ' + recipient.name if recipient.name else ''},", "",
             OPENINGS[(kind, lang)].format(**words), ""]
    if recipient.access_link:
        lines += [t["access"], recipient.access_link, ""]
    lines += [t["pages"]] + [f"{city_names.get(ags, ags)}: {review_url(settings.base_url, edition, ags)}"
                             for ags in recipient.cities]
    lines += ["", f"{t['deadline']}: {words['deadline']}", "", t["bye"], "", "-- ", t["why"]]
    message = EmailMessage()
    message["Subject"] = SUBJECTS[(kind, lang)].format(**words)
    message["From"] = settings.mail_from
    message["To"] = recipient.email
    if settings.mail_reply_to:
        message["Reply-To"] = settings.mail_reply_to
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=_domain(settings.mail_from))
    message.set_content("\n".join(lines) + "\n")
    message["Content-Language"] = lang  # after set_content, which resets the Content-* headers
    return Mail(recipient=recipient, message=message)


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip("> ") or "localhost"


@contextmanager
def smtp_connection(settings: Settings) -> Iterator[smtplib.SMTP]:
    """A connected (and, when configured, encrypted and logged-in) SMTP session."""
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        if settings.smtp_security == "ssl":
            client = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"Cannot reach the SMTP server {where}: {_reason(exc)}. Check CITYINDEX_SMTP_HOST and "
                        "CITYINDEX_SMTP_PORT.") from None
    try:
        _secure_and_login(client, settings, where)
        yield client
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()


def _secure_and_login(client: smtplib.SMTP, settings: Settings, where: str) -> None:
    try:
        if settings.smtp_security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            client.login(settings.smtp_username, settings.smtp_password or "")
    except smtplib.SMTPAuthenticationError:
        raise MailError(f"The SMTP server {where} refused the login of {settings.smtp_username!r}; check "
                        "CITYINDEX_SMTP_USERNAME and CITYINDEX_SMTP_PASSWORD.") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"The SMTP server {where} failed: {_reason(exc)}.") from None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout):
        return "no answer in time"
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return f"{exc.smtp_code} {text}"
    return getattr(exc, "strerror", None) or type(exc).__name__


def send(client: smtplib.SMTP, mail: Mail, settings: Settings) -> None:
    """Send one mail on an open connection; a refusal becomes ``MailError`` naming the recipient."""
    try:
        client.send_message(mail.message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"The SMTP server {settings.smtp_host}:{settings.smtp_port} did not take the mail to "
                        f"{mail.recipient.email}: {_reason(exc)}.") from None
