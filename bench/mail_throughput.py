#!/usr/bin/env python3
"""mail_throughput.py: the Python half of bench/mail-throughput.sh.

  package KIND N PORT OUT   write a format-8 .dtsx package (KIND: retain,
                            new_conn, two_branches or empty) sending N mails
                            to 127.0.0.1:PORT
  message OUT               write the message smtplib and smtp-source send
  smtplib MODE N HOST PORT  send N messages with smtplib: MODE one (one
                            SMTP session, sendmail N times) or new (a new
                            session per message); N=0 imports and exits
                            (the startup baseline)
  count REPORT.json N       exit 0 when the dtsx --json report has exitCode
                            0 and exactly N records of kind mail, else say
                            what it has and exit 1

Every mail has the same shape as the ones the packages send: one
recipient, a subject "dtsx bench mail-NNNNN" and the one-line BODY.
"""

import email.utils
import json
import sys

FROM = "bench@example.com"
TO = "sink@example.com"
BODY = "This mail was sent by the dtsx mail-throughput bench."

PACKAGE = """<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts"
  DTS:refId="Package"
  DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{{6F0C2B8E-3D5A-4C71-9E2B-000000000001}}"
  DTS:ExecutableType="Microsoft.Package"
  DTS:LocaleID="1033"
  DTS:MaxConcurrentExecutables="{max_concurrent}"
  DTS:ObjectName="mail-throughput-{kind}"
  DTS:PackageType="5"
  DTS:ProtectionLevel="0">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:ConnectionManagers>{connections}
  </DTS:ConnectionManagers>
  <DTS:Variables>{variables}
  </DTS:Variables>
  <DTS:Executables>{loops}
  </DTS:Executables>
</DTS:Executable>
"""

CONNECTION = """
    <DTS:ConnectionManager
      DTS:refId="Package.ConnectionManagers[{name}]"
      DTS:CreationName="SMTP"
      DTS:DTSID="{dtsid}"
      DTS:ObjectName="{name}">
      <DTS:ObjectData>
        <SmtpConnectionManager
          ConnectionString="SmtpServer=127.0.0.1;Port={port};UseWindowsAuthentication=False;EnableSsl=False;{extra}" />
      </DTS:ObjectData>
    </DTS:ConnectionManager>"""

VARIABLE = """
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{dtsid}" DTS:Namespace="User" DTS:ObjectName="{name}">
      <DTS:VariableValue DTS:DataType="8"></DTS:VariableValue>
    </DTS:Variable>"""

# A Foreach Loop (Item enumerator, one string column mapped to User::VAR)
# whose body is one Send Mail task; a property expression makes the Subject
# from the item.
LOOP = """
    <DTS:Executable
      DTS:refId="Package\\{loop}"
      DTS:CreationName="STOCK:FOREACHLOOP"
      DTS:DTSID="{{6F0C2B8E-3D5A-4C71-9E2B-0000000001{i}0}}"
      DTS:ExecutableType="STOCK:FOREACHLOOP"
      DTS:ObjectName="{loop}">
      <DTS:ForEachEnumerator
        DTS:CreationName="Microsoft.ForEachItemEnumerator"
        DTS:DTSID="{{6F0C2B8E-3D5A-4C71-9E2B-0000000001{i}1}}"
        DTS:ObjectName="{loop} items">
        <DTS:ObjectData>
          <FEIEItems>
{items}
          </FEIEItems>
        </DTS:ObjectData>
      </DTS:ForEachEnumerator>
      <DTS:Executables>
        <DTS:Executable
          DTS:refId="Package\\{loop}\\Send"
          DTS:CreationName="Microsoft.SendMailTask"
          DTS:DTSID="{{6F0C2B8E-3D5A-4C71-9E2B-0000000001{i}2}}"
          DTS:ExecutableType="Microsoft.SendMailTask"
          DTS:LocaleID="-1"
          DTS:ObjectName="Send">
          <DTS:PropertyExpression DTS:Name="Subject">"dtsx bench " + @[User::{var}]</DTS:PropertyExpression>
          <DTS:ObjectData>
            <SendMailTask:SendMailTaskData
              SendMailTask:SMTPServer="{conn_dtsid}"
              SendMailTask:From="{frm}"
              SendMailTask:To="{to}"
              SendMailTask:Subject="dtsx bench"
              SendMailTask:MessageSource="{body}" xmlns:SendMailTask="www.microsoft.com/sqlserver/dts/tasks/sendmailtask" />
          </DTS:ObjectData>
        </DTS:Executable>
      </DTS:Executables>
      <DTS:ForEachVariableMappings>
        <DTS:ForEachVariableMapping
          DTS:CreationName=""
          DTS:DTSID="{{6F0C2B8E-3D5A-4C71-9E2B-0000000001{i}3}}"
          DTS:ObjectName="{var}"
          DTS:ValueIndex="0"
          DTS:VariableName="User::{var}" />
      </DTS:ForEachVariableMappings>
    </DTS:Executable>"""


def subject(i):
    return "dtsx bench mail-%05d" % i


def package(kind, n, port):
    """package returns the .dtsx text of KIND sending N mails."""
    if kind == "empty":
        return PACKAGE.format(kind=kind, max_concurrent=-1, connections="", variables="", loops="")
    retain = "RetainSameConnection=True;" if kind in ("retain", "two_branches") else ""
    # two_branches: two loops with no precedence constraint, each with its
    # own connection manager (so each keeps its own session), N/2 mails each.
    branches = [("A", (n + 1) // 2), ("B", n // 2)] if kind == "two_branches" else [("", n)]
    conns, variables, loops, first = [], [], [], 1
    for i, (b, count) in enumerate(branches):
        name = "SMTP Connection Manager" + (" " + b if b else "")
        dtsid = "{6F0C2B8E-3D5A-4C71-9E2B-0000000000%d0}" % i
        var = "Item" + b
        conns.append(CONNECTION.format(name=name, dtsid=dtsid, port=port, extra=retain))
        variables.append(VARIABLE.format(name=var, dtsid="{6F0C2B8E-3D5A-4C71-9E2B-0000000000%d1}" % i))
        items = "\n".join(
            '            <FEIEItem><FEIEItemValue Type="8" Value="mail-%05d" /></FEIEItem>' % k
            for k in range(first, first + count))
        first += count
        loops.append(LOOP.format(loop="Foreach " + (b or "mail"), i=i, items=items, var=var,
                                 conn_dtsid=dtsid, frm=FROM, to=TO, body=BODY))
    return PACKAGE.format(kind=kind, max_concurrent=len(branches),
                          connections="".join(conns), variables="".join(variables), loops="".join(loops))


def message(i):
    """message returns mail I as bytes, headers as the Send Mail task writes them."""
    return ("Mime-Version: 1.0\r\n"
            "Date: %s\r\n"
            "From: <%s>\r\n"
            "To: <%s>\r\n"
            "Subject: %s\r\n"
            "Message-Id: %s\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "\r\n"
            "%s\r\n" % (email.utils.formatdate(), FROM, TO, subject(i),
                        email.utils.make_msgid(domain="example.com"), BODY)).encode()


def send(mode, n, host, port):
    import smtplib  # the baseline (n == 0) pays for this import too

    if n == 0:
        return
    if mode == "one":
        s = smtplib.SMTP(host, port)
        for i in range(1, n + 1):
            s.sendmail(FROM, [TO], message(i))
        s.quit()
        return
    for i in range(1, n + 1):
        s = smtplib.SMTP(host, port)
        s.sendmail(FROM, [TO], message(i))
        s.quit()


def count(report, n):
    try:
        with open(report, encoding="utf-8") as f:
            rep = json.load(f)
    except (OSError, ValueError) as e:
        print("no JSON report: %s" % e)
        return 1
    # The record's kind is "Kind" today; accept "kind" too.
    mails = sum(1 for r in rep.get("records") or [] if (r.get("kind") or r.get("Kind")) == "mail")
    code = rep.get("exitCode")
    if code != 0 or mails != n:
        errs = [e.get("message") or e.get("Message") for e in (rep.get("errors") or [])[:3]]
        print("exitCode %s, %d mail records (want 0 and %d); first errors: %s" % (code, mails, n, errs))
        return 1
    return 0


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "package" and len(argv) == 6:
        with open(argv[5], "w", encoding="utf-8") as f:
            f.write(package(argv[2], int(argv[3]), int(argv[4])))
        return 0
    if cmd == "message" and len(argv) == 3:
        with open(argv[2], "wb") as f:
            f.write(message(1))
        return 0
    if cmd == "smtplib" and len(argv) == 6 and argv[2] in ("one", "new"):
        send(argv[2], int(argv[3]), argv[4], int(argv[5]))
        return 0
    if cmd == "count" and len(argv) == 4:
        return count(argv[2], int(argv[3]))
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
