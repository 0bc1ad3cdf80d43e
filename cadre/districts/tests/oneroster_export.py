"""Build OneRoster CSV exports for tests, as zips or folders, from a few rows."""

import io
import zipfile
from pathlib import Path

ORGS = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId"
USERS_11 = (
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
    "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,"
    "password"
)
USERS_12 = (
    "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,"
    "familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,"
    "userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,"
    "primaryOrgSourcedId,pronouns"
)
ROLES = (
    "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,"
    "orgSourcedId,userProfileSourcedId"
)
CLASSES = (
    "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,"
    "location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods"
)
ENROLLMENTS = (
    "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,"
    "role,primary,beginDate,endDate"
)


def user11(sid, role, org, first, last, email="", identifier="", status="active"):
    return (
        f"{sid},{status},2026-08-01,true,{org},{role},{sid},,{first},{last},,{identifier},"
        f"{email},,,,,"
    )


def user12(sid, first, last, email="", identifier="", status="active"):
    return (
        f"{sid},{status},2026-08-01T10:00:00Z,true,{sid},,{first},{last},,{identifier},"
        f"{email},,,,,,,,,,,"
    )


def export_11(**overrides) -> dict[str, list[str]]:
    files = {
        "manifest": [
            "propertyName,value",
            "manifest.version,1.0",
            "oneroster.version,1.1",
            "file.orgs,bulk",
            "file.users,bulk",
            "file.classes,bulk",
            "file.enrollments,bulk",
            "file.courses,absent",
        ],
        "orgs": [
            ORGS,
            "d1,active,2026-08-01,Alder District,district,AD,",
            "s1,active,2026-08-01,Juniper High,school,JHS,d1",
            "s2,active,2026-08-01,Willow High,school,WHS,d1",
            "dep1,active,2026-08-01,Juniper Science,department,,s1",
            "st,active,2026-08-01,State of Somewhere,state,,",
        ],
        "users": [
            USERS_11,
            user11("t1", "teacher", "s1", "Marisol", "Garcia", "m.garcia@alder.example", "E1"),
            user11("t2", "teacher", "dep1", "Tuan", "Nguyen", "t.nguyen@alder.example", "E2"),
            user11("p1", "administrator", "s1", "Paula", "Reyes", "p.reyes@alder.example", "E3"),
            user11("a1", "administrator", "d1", "Dana", "Okafor", "d.okafor@alder.example", "E4"),
            user11("c1", "counselor", "s2", "Cory", "Lee", "", "E5"),
            user11("x1", "aide", "s1", "Abe", "Kim", "a.kim@alder.example", "E6"),
            user11("stu1", "student", "s1", "Sam", "Student", "sam@kids.example"),
            user11("stu2", "student", "s1", "Sal", "Student", "sal@kids.example"),
            user11("par1", "parent", "s1", "Pat", "Parent", "pat@home.example"),
        ],
        "classes": [CLASSES, "c-1,active,2026-08-01,English 10,10,k1,EN10,scheduled,,s1,,,,"],
        "enrollments": [
            ENROLLMENTS,
            "e1,active,2026-08-01,c-1,s1,t1,teacher,true,2026-08-20,2027-06-10",
            "e2,active,2026-08-01,c-1,s1,stu1,student,false,,",
            "e3,active,2026-08-01,c-1,s1,stu2,student,false,,",
        ],
    }
    files.update(overrides)
    return files


def export_12(**overrides) -> dict[str, list[str]]:
    files = {
        "manifest": [
            "propertyName,value",
            "manifest.version,1.0",
            "oneroster.version,1.2",
            "file.orgs,bulk",
            "file.users,bulk",
            "file.roles,bulk",
            "file.classes,bulk",
            "file.enrollments,bulk",
        ],
        "orgs": export_11()["orgs"],
        "users": [
            USERS_12,
            user12("t1", "Marisol", "Garcia", "m.garcia@alder.example", "E1"),
            user12("p1", "Paula", "Reyes", "p.reyes@alder.example", "E3"),
            user12("ap1", "Ari", "Patel", "a.patel@alder.example", "E7"),
            user12("da1", "Dana", "Okafor", "d.okafor@alder.example", "E4"),
            user12("stu1", "Sam", "Student", "sam@kids.example"),
        ],
        "roles": [
            ROLES,
            "r1,active,2026-08-01,t1,primary,teacher,2024-08-15,,s1,",
            "r2,active,2026-08-01,p1,primary,principal,2020-07-01,,s1,",
            "r3,active,2026-08-01,ap1,primary,siteAdministrator,2025-07-01,2027-06-30,s2,",
            "r4,active,2026-08-01,da1,primary,districtAdministrator,,,d1,",
            "r5,active,2026-08-01,stu1,primary,student,,,s1,",
        ],
        "classes": export_11()["classes"],
        "enrollments": [
            ENROLLMENTS,
            "e1,active,2026-08-01,c-1,s1,t1,teacher,true,,",
            "e2,active,2026-08-01,c-1,s1,stu1,student,false,,",
        ],
    }
    files.update(overrides)
    return files


def text(files: dict[str, list[str]], *, bom=False, newline="\n", final_newline=True) -> dict:
    out = {}
    for name, lines in files.items():
        body = newline.join(lines) + (newline if final_newline else "")
        out[f"{name}.csv"] = ("\ufeff" if bom else "") + body
    return out


def as_zip(path: Path, files: dict[str, list[str]], **kwargs) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in text(files, **kwargs).items():
            archive.writestr(name, body.encode("utf-8") if isinstance(body, str) else body)
    path.write_bytes(buffer.getvalue())
    return path


def as_folder(path: Path, files: dict[str, list[str]], **kwargs) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, body in text(files, **kwargs).items():
        (path / name).write_text(body, encoding="utf-8")
    return path
