"""Demo canned replies for `make run`: a few everyday replies, each with its text in every language the shop offers."""

from django.conf import settings

from rma.messaging.models import CannedReply, CannedReplyText, CannedReplyTransition

# name, what else it does, {language: text}. Placeholders: {customer_name}, {rma_number}, {shop_name}.
CANNED_REPLIES = [
    (
        "Thanks, we are looking into it",
        CannedReplyTransition.NONE,
        {
            "en": "Dear {customer_name},\nThank you for your message about return {rma_number}. We are looking "
            "into it and will reply within two working days.\nKind regards,\n{shop_name}",
            "it": "Gentile {customer_name},\ngrazie per il Suo messaggio sul reso {rma_number}. Stiamo verificando "
            "e Le risponderemo entro due giorni lavorativi.\nCordiali saluti,\n{shop_name}",
            "ro": "Bună ziua, {customer_name},\nVă mulțumim pentru mesajul privind returul {rma_number}. Analizăm "
            "situația și vă vom răspunde în cel mult două zile lucrătoare.\nCu stimă,\n{shop_name}",
            "zh-hans": "{customer_name}，您好：\n感谢您就退货 {rma_number} 与我们联系。我们正在处理，"
            "将在两个工作日内回复您。\n{shop_name}",
            "ja": "{customer_name} 様\n返品 {rma_number} についてご連絡いただき、ありがとうございます。"
            "現在確認しておりますので、2営業日以内にご返信いたします。\n{shop_name}",
            "de": "Guten Tag {customer_name},\nvielen Dank für Ihre Nachricht zur Rücksendung {rma_number}. Wir "
            "prüfen Ihr Anliegen und melden uns innerhalb von zwei Werktagen bei Ihnen.\nMit freundlichen "
            "Grüßen\n{shop_name}",
            "fr": "Bonjour {customer_name},\nMerci pour votre message concernant le retour {rma_number}. Nous "
            "examinons votre demande et vous répondrons sous deux jours ouvrés.\nCordialement,\n{shop_name}",
            "es": "Buenos días, {customer_name}:\nGracias por su mensaje sobre la devolución {rma_number}. Lo "
            "estamos revisando y le responderemos en un plazo de dos días laborables.\nAtentamente,\n{shop_name}",
            "ar": "مرحبًا {customer_name}،\nشكرًا لرسالتك بشأن المرتجع {rma_number}. نحن نراجع طلبك وسنرد عليك "
            "خلال يومي عمل.\nمع أطيب التحيات،\n{shop_name}",
        },
    ),
    (
        "Ask for photos of the fault",
        CannedReplyTransition.REQUEST_INFO,
        {
            "en": "Dear {customer_name},\nTo assess return {rma_number}, could you please send us two or three "
            "photos of the item and of the fault? You can attach them to your reply on the return page.\n"
            "Kind regards,\n{shop_name}",
            "it": "Gentile {customer_name},\nper valutare il reso {rma_number}, potrebbe inviarci due o tre foto "
            "dell'articolo e del difetto? Può allegarle alla Sua risposta nella pagina del reso.\n"
            "Cordiali saluti,\n{shop_name}",
            "ro": "Bună ziua, {customer_name},\nPentru a evalua returul {rma_number}, vă rugăm să ne trimiteți "
            "două sau trei fotografii ale produsului și ale defectului. Le puteți atașa răspunsului pe pagina "
            "returului.\nCu stimă,\n{shop_name}",
            "zh-hans": "{customer_name}，您好：\n为评估退货 {rma_number}，请您发送两到三张商品及故障部位的照片。"
            "您可以在退货页面回复时附上照片。\n{shop_name}",
            "ja": "{customer_name} 様\n返品 {rma_number} を確認するため、商品と不具合箇所の写真を2、3枚"
            "お送りいただけますでしょうか。返品ページからのご返信に添付していただけます。\n{shop_name}",
            "de": "Guten Tag {customer_name},\num die Rücksendung {rma_number} zu prüfen, bitten wir Sie um zwei "
            "oder drei Fotos des Artikels und des Mangels. Sie können die Fotos Ihrer Antwort auf der Seite der "
            "Rücksendung anhängen.\nMit freundlichen Grüßen\n{shop_name}",
            "fr": "Bonjour {customer_name},\nAfin d'examiner le retour {rma_number}, pourriez-vous nous envoyer "
            "deux ou trois photos de l'article et du défaut ? Vous pouvez les joindre à votre réponse sur la "
            "page du retour.\nCordialement,\n{shop_name}",
            "es": "Buenos días, {customer_name}:\nPara evaluar la devolución {rma_number}, ¿podría enviarnos dos "
            "o tres fotos del artículo y del defecto? Puede adjuntarlas a su respuesta en la página de la "
            "devolución.\nAtentamente,\n{shop_name}",
            "ar": "مرحبًا {customer_name}،\nلتقييم المرتجع {rma_number}، نرجو إرسال صورتين أو ثلاث صور للمنتج "
            "وللعيب. يمكنك إرفاقها بردّك على صفحة المرتجع.\nمع أطيب التحيات،\n{shop_name}",
        },
    ),
    (
        "Parcel received, inspection next",
        CannedReplyTransition.NONE,
        {
            "en": "Dear {customer_name},\nYour parcel for return {rma_number} has arrived at our warehouse. We "
            "will inspect it and let you know the outcome shortly.\nKind regards,\n{shop_name}",
            "it": "Gentile {customer_name},\nil pacco del reso {rma_number} è arrivato al nostro magazzino. Lo "
            "controlleremo e Le comunicheremo presto l'esito.\nCordiali saluti,\n{shop_name}",
            "ro": "Bună ziua, {customer_name},\nColetul pentru returul {rma_number} a ajuns în depozitul nostru. "
            "Îl vom verifica și vă vom comunica rezultatul în curând.\nCu stimă,\n{shop_name}",
            "zh-hans": "{customer_name}，您好：\n退货 {rma_number} 的包裹已到达我们的仓库。我们将进行检验，"
            "并尽快告知您结果。\n{shop_name}",
            "ja": "{customer_name} 様\n返品 {rma_number} のお荷物が当社の倉庫に到着しました。検品のうえ、"
            "結果を追ってご連絡いたします。\n{shop_name}",
            "de": "Guten Tag {customer_name},\nIhr Paket zur Rücksendung {rma_number} ist in unserem Lager "
            "eingetroffen. Wir prüfen es und teilen Ihnen das Ergebnis in Kürze mit.\nMit freundlichen "
            "Grüßen\n{shop_name}",
            "fr": "Bonjour {customer_name},\nVotre colis pour le retour {rma_number} est arrivé dans notre "
            "entrepôt. Nous allons le contrôler et vous informerons du résultat très prochainement.\n"
            "Cordialement,\n{shop_name}",
            "es": "Buenos días, {customer_name}:\nEl paquete de la devolución {rma_number} ha llegado a nuestro "
            "almacén. Lo revisaremos y le comunicaremos el resultado en breve.\nAtentamente,\n{shop_name}",
            "ar": "مرحبًا {customer_name}،\nوصل طرد المرتجع {rma_number} إلى مستودعنا. سنفحصه ونبلغك بالنتيجة "
            "قريبًا.\nمع أطيب التحيات،\n{shop_name}",
        },
    ),
    (
        "Refused: requested after the return period",
        CannedReplyTransition.REJECT,
        {
            "en": "Dear {customer_name},\nWe are sorry, but return {rma_number} was requested after the return "
            "period had ended, so we cannot accept it. Your statutory warranty rights are not affected.\n"
            "Kind regards,\n{shop_name}",
            "it": "Gentile {customer_name},\nci dispiace, ma il reso {rma_number} è stato richiesto dopo la "
            "scadenza del periodo di reso e non possiamo accettarlo. I Suoi diritti di garanzia legale restano "
            "invariati.\nCordiali saluti,\n{shop_name}",
            "ro": "Bună ziua, {customer_name},\nNe pare rău, dar returul {rma_number} a fost solicitat după "
            "încheierea perioadei de retur, așa că nu îl putem accepta. Drepturile dumneavoastră legale de "
            "garanție nu sunt afectate.\nCu stimă,\n{shop_name}",
            "zh-hans": "{customer_name}，您好：\n很抱歉，退货 {rma_number} 的申请是在退货期限结束后提交的，"
            "因此我们无法受理。您依法享有的保修权利不受影响。\n{shop_name}",
            "ja": "{customer_name} 様\n誠に申し訳ございませんが、返品 {rma_number} は返品期間の終了後に"
            "お申し込みいただいたため、お受けすることができません。法律上の保証に関する権利には影響ございません。"
            "\n{shop_name}",
            "de": "Guten Tag {customer_name},\nleider wurde die Rücksendung {rma_number} nach Ablauf der "
            "Rückgabefrist angemeldet, daher können wir sie nicht annehmen. Ihre gesetzlichen "
            "Gewährleistungsrechte bleiben davon unberührt.\nMit freundlichen Grüßen\n{shop_name}",
            "fr": "Bonjour {customer_name},\nNous sommes désolés, mais le retour {rma_number} a été demandé après "
            "la fin du délai de retour ; nous ne pouvons donc pas l'accepter. Vos droits à la garantie légale ne "
            "sont pas affectés.\nCordialement,\n{shop_name}",
            "es": "Buenos días, {customer_name}:\nLamentamos informarle de que la devolución {rma_number} se "
            "solicitó después de que terminara el plazo de devolución, por lo que no podemos aceptarla. Sus "
            "derechos de garantía legal no se ven afectados.\nAtentamente,\n{shop_name}",
            "ar": "مرحبًا {customer_name}،\nنأسف لإبلاغك بأن طلب المرتجع {rma_number} قُدِّم بعد انتهاء مهلة "
            "الإرجاع، لذا لا يمكننا قبوله. لا يؤثر ذلك على حقوقك القانونية في الضمان.\nمع أطيب التحيات،\n"
            "{shop_name}",
        },
    ),
]


def canned_replies_demo_load() -> list[CannedReply]:
    """Create the demo replies that are missing, and any text a language still lacks; edits are left alone."""
    replies = []
    for name, transition, texts in CANNED_REPLIES:
        reply, _ = CannedReply.objects.get_or_create(name=name, defaults={"transition": transition})
        for language, _label in settings.LANGUAGES:
            CannedReplyText.objects.get_or_create(reply=reply, language=language, defaults={"body": texts[language]})
        replies.append(reply)
    return replies
