"""`aiwire mail`: send a built weekly digest as an email, over SMTP.

The build already wrote ``digest/<week>/email.html`` and ``email.txt`` (see
:mod:`aiwire.site.newsletter`); this module only reads them, wraps them in one
multipart/alternative message (the text part first, as RFC 2046 orders them, so clients
show the richest part they can) and hands it to the server in ``settings.smtp``. The
password never sits in feeds.yaml: it is read from the environment variable named by
``settings.smtp.password_env`` (``AIWIRE_SMTP_PASSWORD`` by default).
"""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from aiwire.config import EMAIL, SmtpSettings
from aiwire.errors import AiwireError, InputError

TIMEOUT_SECONDS = 30


class MailError(AiwireError):
    """The SMTP server could not be reached or refused the message."""

    exit_code = 1


def digest_email(out: Path, week: str) -> tuple[str, str, str]:
    """(subject, text, html) of a built week; the subject is the text part's first line."""
    from aiwire.run import check_week

    check_week(week)
    folder = Path(out) / "digest" / week
    html_path, text_path = folder / "email.html", folder / "email.txt"
    for path in (html_path, text_path):
        if not path.is_file():
            built = sorted(p.parent.name for p in (Path(out) / "digest").glob("*/email.txt"))
            hint = (f"pick a built week ({', '.join(built)}) or " if built else "")
            raise InputError(f"no newsletter for {week} was built", path=str(path),
                             fix=f"{hint}build the site first: `aiwire run --out {out}` "
                                 f"(or `aiwire build --out {out}`)")
    text = text_path.read_text("utf-8")
    subject = text.split("\n", 1)[0].strip() or f"aiwire {week}"
    return subject, text, html_path.read_text("utf-8")


def check_recipients(recipients: list[str]) -> list[str]:
    if not recipients:
        raise InputError("no recipient", fix="give at least one --to ADDRESS")
    for address in recipients:
        if not EMAIL.match(address):
            raise InputError(f"--to {address!r} is not a mail address",
                             fix="write it like reader@example.org")
    return recipients


def compose(subject: str, text: str, html: str, sender: str,
            recipients: list[str]) -> EmailMessage:
    """One multipart/alternative message: text/plain, then text/html."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def smtp_password(smtp: SmtpSettings, feeds: Path) -> str | None:
    """The password from the environment, when feeds.yaml names a user to log in as."""
    if smtp.username is None:
        return None
    password = os.environ.get(smtp.password_env)
    if not password:
        raise InputError(f"settings.smtp.username is set but ${smtp.password_env} is empty",
                         path=str(feeds), fix=f"export {smtp.password_env}=... before "
                                              f"`aiwire mail`, or remove username")
    return password


def send(message: EmailMessage, smtp: SmtpSettings, password: str | None) -> None:
    """Deliver ``message`` through ``smtp``; any refusal or network fault is a MailError."""
    where = f"{smtp.host}:{smtp.port}"
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS) as client:
            client.ehlo()
            if smtp.starttls:
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if smtp.username is not None:
                client.login(smtp.username, password or "")
            refused = client.send_message(message)
    except smtplib.SMTPNotSupportedError as exc:
        raise MailError(f"SMTP server {where}: {exc} (set settings.smtp.starttls: false only "
                        f"for a trusted local relay)") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(f"SMTP server {where} failed: {exc}") from None
    if refused:
        raise MailError(f"SMTP server {where} refused: {', '.join(sorted(refused))}")


def mail_week(feeds: Path, out: Path, week: str, recipients: list[str]) -> str:
    """Send the built newsletter of ``week``; the subject sent. Bad input raises
    InputError (exit 2) before anything is sent."""
    from aiwire.config import load_config

    config = load_config(feeds)
    smtp = config.settings.smtp
    if smtp is None:
        raise InputError("settings.smtp is not set", path=str(feeds),
                         fix="add under settings: smtp: {host: mail.example.org, port: 587, "
                             "sender: digest@example.org, starttls: true}")
    check_recipients(recipients)
    subject, text, html = digest_email(out, week)
    password = smtp_password(smtp, feeds)
    send(compose(subject, text, html, smtp.sender, recipients), smtp, password)
    return subject
