//! Conference speakers are who their records say: one person per name, credited as written.

use crate::helpers::{TestApp, fixture, spawn_app, texts};

const JP: &str = "/api/v1/talks/pycon-jp-2019/";

/// The (slug, name) of each speaker of a talk, through its JSON twin.
async fn speakers(app: &TestApp, path: &str) -> Vec<(String, String)> {
    let (status, talk) = app.json(path).await;
    assert_eq!(status, 200, "{path}");
    talk["speakers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let text = |key: &str| s[key].as_str().unwrap().to_string();
            (text("slug"), text("name"))
        })
        .collect()
}

#[tokio::test]
async fn every_japanese_speaker_is_their_own_person_credited_as_the_record_wrote_them() {
    let app = spawn_app().await;

    app.import_talks(&fixture("pyvideo")).await;

    let talks = [
        (
            "01_401_pythontoautomlzhi-tian-jiang",
            "\u{829d}\u{7530} \u{5c06}",
        ),
        (
            "01_502_ji-jie-xue-xi-niokeruhaipaparametazui-shi-hua-noli-lun-toshi-jian-ye-cun-jiang-kuan",
            "\u{91ce}\u{6751} \u{5c06}\u{5bdb}",
        ),
        (
            "02-100_ji-diao-jiang-yan-_pythondeqie-rikai-kuxin-shiinong-ye-xiao-chi-cheng",
            "\u{5c0f}\u{6c60} \u{8aa0}",
        ),
        (
            "01_505_pandasnostylingji-neng-deqiang-hua-surujupytershi-yan-repototomoko-furuki",
            "Tomoko FURUKI",
        ),
        (
            "02-403_unittestdeshi-meruyunitsutotesutoru-men-rei-suyama",
            "Rei Suyama",
        ),
    ];
    let mut slugs = Vec::new();
    for (talk, name) in talks {
        let found = speakers(&app, &format!("{JP}{talk}")).await;
        assert_eq!(found.len(), 1, "{talk}");
        assert_eq!(found[0].1, name, "{talk}");
        slugs.push(found[0].0.clone());
    }
    assert_eq!(
        slugs[0], "zhi-tian-jiang",
        "a Japanese name has a readable slug"
    );
    let mut distinct = slugs.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        slugs.len(),
        "five names, five people: {slugs:?}"
    );
}

#[tokio::test]
async fn a_speakers_page_lists_their_talks_and_does_not_call_them_a_guest() {
    let app = spawn_app().await;
    app.import_talks(&fixture("pyvideo")).await;

    let page = app.page("/hosts/zhi-tian-jiang").await;
    let (_, person) = app.json("/api/v1/people/zhi-tian-jiang").await;

    assert_eq!(texts(&page, "h1"), ["\u{829d}\u{7530} \u{5c06}"]);
    assert!(texts(&page, ".badge").is_empty(), "no guest badge");
    assert_eq!(
        crate::helpers::attrs(&page, ".talks a", "href"),
        [
            "/talks/pycon-jp-2019/01_401_pythontoautomlzhi-tian-jiang",
            "/talks/pycon-jp-2019/01_401_pythontoautomlzhi-tian-jiang_copy"
        ]
    );
    assert_eq!(person["is_guest"], false);
    assert_eq!(person["talks"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn two_names_that_meet_on_one_slug_are_two_people() {
    let app = spawn_app().await;
    app.import_talks(&fixture("pyvideo")).await;
    app.login_as_host().await;

    let response = app
        .admin_post(
            "/admin/talks/pycon-us-2025/unlearning-sql",
            &[
                ("title", "Unlearning SQL"),
                ("speakers", "Ren\u{e9}e Dupont, Renee Dupont"),
            ],
        )
        .await;

    assert_eq!(response.status(), 303);
    assert_eq!(
        speakers(&app, "/api/v1/talks/pycon-us-2025/unlearning-sql").await,
        [
            ("renee-dupont".to_string(), "Ren\u{e9}e Dupont".to_string()),
            ("renee-dupont-2".to_string(), "Renee Dupont".to_string())
        ]
    );
}

#[tokio::test]
async fn a_record_exports_its_speakers_as_written_whatever_the_registry_calls_them() {
    let app = spawn_app().await;
    app.import_talks(&fixture("pyvideo")).await;
    app.login_as_host().await;
    let talk = "01_505_pandasnostylingji-neng-deqiang-hua-surujupytershi-yan-repototomoko-furuki";
    let (slug, _) = speakers(&app, &format!("{JP}{talk}")).await.remove(0);
    let id: i64 = sqlx::query_scalar("select id from people where slug = ?")
        .bind(&slug)
        .fetch_one(&app.state.db)
        .await
        .unwrap();

    let renamed = app
        .admin_post(
            &format!("/admin/people/{id}"),
            &[("name", "Tomoko Furuki"), ("slug", &slug)],
        )
        .await;
    let out = app.export_talks().await;

    assert_eq!(renamed.status(), 303);
    let (_, person) = app.json(&format!("/api/v1/people/{slug}")).await;
    assert_eq!(
        person["name"], "Tomoko Furuki",
        "the registry has its own spelling"
    );
    let file = format!("pycon-jp-2019/videos/{talk}.json");
    assert_eq!(
        std::fs::read_to_string(out.path().join(&file)).unwrap(),
        std::fs::read_to_string(fixture("pyvideo-reserialized").join(&file)).unwrap(),
        "the record still credits Tomoko FURUKI"
    );
}
